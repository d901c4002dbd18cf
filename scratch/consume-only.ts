import { GroupConsumer } from '../src/kafka/group-consumer.ts';
const g = new GroupConsumer({ brokers: ['127.0.0.1:19092'], clientId: 'co' }, { groupId: `co-${Date.now()}`, topics: [process.env.TOPIC ?? ''], fromBeginning: true, concurrency: 2, maxBytesPerPartition: Number(process.env.FB ?? 1048576) });
let n = 0; let k = 0;
const timer = setInterval(() => { const m = process.memoryUsage(); console.log(`n ${n} rss ${Math.round(m.rss/1e6)} heap ${Math.round(m.heapUsed/1e6)}/${Math.round(m.heapTotal/1e6)} ext ${Math.round(m.external/1e6)}`); if (++k > 10) { clearInterval(timer); void g.stop(); } }, 2000);
await g.start(async (b, ctl) => { n += b.records.length; ctl.resolve(b.records.at(-1)?.offset ?? '0'); });
