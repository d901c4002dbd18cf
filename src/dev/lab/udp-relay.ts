// A UDP relay for the lab's replay scenario, run inside the server's namespace:
//   node udp-relay.ts LISTEN_IP LISTEN_PORT TARGET_IP TARGET_PORT REPLAYS
// It forwards the client's datagrams to the server and the server's back, keeps the client's first handshake
// initiation (message type 1, 148 bytes) as it was on the wire, and once the server has answered one, sends those
// same bytes again REPLAYS times, one every 2 s: a genuine old initiation, which the server must reject as a replay.
import { createSocket, type RemoteInfo } from 'node:dgram';

const [listenIp = '', listenPort = '', targetIp = '', targetPort = '', replays = '0'] = process.argv.slice(2);
const family = listenIp.includes(':') ? 'udp6' : 'udp4';
const front = createSocket(family);
const back = createSocket(family);
let client: RemoteInfo | undefined;
let initiation: Buffer | undefined;
let replaying = false;

front.on('message', (msg, from) => {
  client = from;
  if (initiation === undefined && msg.length === 148 && msg[0] === 1) initiation = Buffer.from(msg);
  back.send(msg, Number(targetPort), targetIp);
});

back.on('message', (msg) => {
  if (client) front.send(msg, client.port, client.address);
  // A handshake response (type 2): the initiation kept is now an old one.
  if (msg[0] === 2 && initiation !== undefined && !replaying) {
    replaying = true;
    let left = Number(replays);
    const old = initiation;
    const timer = setInterval(() => {
      if (left-- <= 0) { clearInterval(timer); return; }
      back.send(old, Number(targetPort), targetIp);
    }, 2000);
  }
});

front.bind(Number(listenPort), listenIp);
back.bind(0, listenIp);
process.on('SIGTERM', () => { front.close(); back.close(); process.exit(0); });
