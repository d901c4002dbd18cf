// `setup --kibana`'s client against a real HTTP server on 127.0.0.1 that answers as Kibana's status and
// saved-objects import APIs do (Kibana itself cannot run on these machines). What is checked is what wg-siem
// sends and how it reads the answers: waiting for availability, the version floor, the multipart NDJSON body,
// the overwrite flag and space path, credentials, and errors that name the objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSavedObjects, KIBANA_OBJECTS_VERSION } from '../../../../src/sinks/kibana/build.ts';
import { importSavedObjects, versionAtLeast, type KibanaImportOptions } from '../../../../src/sinks/kibana/import.ts';
import { HttpRecorder, type Reply } from '../../../helpers/http-recorder.ts';

const objects = buildSavedObjects();
const json = (status: number, body: unknown): Reply => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const status = (level: string, version = '9.5.4'): Reply => json(200, { version: { number: version }, status: { overall: { level } } });
const imported = (overwrite: boolean): Reply => json(200, {
  success: true, successCount: objects.length,
  successResults: objects.map((o) => ({ type: o.type, id: o.id, meta: { title: o.attributes['title'] }, ...(overwrite ? { overwrite: true } : {}) })),
});

async function withKibana(fn: (k: HttpRecorder, o: KibanaImportOptions) => Promise<void>, o: Partial<KibanaImportOptions> = {}): Promise<void> {
  const k = await HttpRecorder.start();
  try {
    await fn(k, { url: k.url(''), space: null, auth: null, readyTimeoutMs: 5000, pollMs: 20, ...o });
  } finally {
    await k.close();
  }
}

test('versions compare numerically', () => {
  assert.ok(versionAtLeast('9.5.4', KIBANA_OBJECTS_VERSION));
  assert.ok(versionAtLeast('8.10.0', '8.8.0'));
  assert.ok(versionAtLeast('8.8.0-SNAPSHOT', '8.8.0'));
  assert.ok(!versionAtLeast('8.7.1', '8.8.0'));
  assert.ok(!versionAtLeast('7.17.20', '8.8.0'));
});

test('waits until Kibana is available, then imports every object in one NDJSON file with overwrite; a second run overwrites the same ids', async () => {
  await withKibana(async (k, o) => {
    const lines: string[] = [];
    k.reply({ status: 503, body: 'Kibana server is not ready yet' }, status('degraded'), status('available'), imported(false), status('available'), imported(true));
    const first = await importSavedObjects(objects, { ...o, log: (l) => lines.push(l) });
    assert.equal(first.kibanaVersion, '9.5.4');
    assert.equal(first.space, 'default');
    assert.equal(first.objects.length, objects.length);
    assert.ok(first.objects.every((x) => x.outcome === 'created'));
    assert.ok(lines.some((l) => /waiting for Kibana/.test(l)), 'says what it waits for');
    const second = await importSavedObjects(objects, o);
    assert.ok(second.objects.every((x) => x.outcome === 'overwritten'));
    assert.deepEqual(second.objects.map((x) => x.id), first.objects.map((x) => x.id));

    const posts = k.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 2);
    for (const p of posts) {
      assert.equal(p.path, '/api/saved_objects/_import?overwrite=true');
      assert.equal(p.headers['kbn-xsrf'], 'wg-siem');
      assert.match(String(p.headers['content-type']), /^multipart\/form-data; boundary=/);
      assert.match(p.raw, /Content-Disposition: form-data; name="file"; filename="wg-siem.ndjson"/);
      // The file part is the NDJSON, one object per line, each as built.
      const sent = p.raw.split(/\r?\n/).filter((l) => l.startsWith('{'));
      assert.deepEqual(sent.map((l) => (JSON.parse(l) as { id: string }).id), objects.map((x) => x.id));
    }
    assert.equal(k.requests[0]?.path, '/api/status');
  });
});

test('a space goes into the path; an API key or user and password into the Authorization header', async () => {
  await withKibana(async (k, o) => {
    k.reply(status('available'), imported(false));
    await importSavedObjects(objects, o);
    assert.equal(k.requests[1]?.path, '/s/security/api/saved_objects/_import?overwrite=true');
    assert.equal(k.requests[0]?.headers['authorization'], 'ApiKey a2V5');
    assert.equal(k.requests[1]?.headers['authorization'], 'ApiKey a2V5');
  }, { space: 'security', auth: { apiKey: 'a2V5' } });
  await withKibana(async (k, o) => {
    k.reply(status('available'), imported(false));
    await importSavedObjects(objects, o);
    assert.equal(k.requests[1]?.headers['authorization'], `Basic ${Buffer.from('wg-siem:s3cret').toString('base64')}`);
  }, { auth: { username: 'wg-siem', password: 's3cret' } });
});

test('refusals end with the reason and send nothing more: credentials, an old Kibana, a timeout', async () => {
  await withKibana(async (k, o) => {
    k.reply(json(401, { statusCode: 401, message: 'Unauthorized' }));
    await assert.rejects(importSavedObjects(objects, o), /refused the credentials \(HTTP 401\)/);
    assert.equal(k.requests.length, 1);
  });
  await withKibana(async (k, o) => {
    k.reply(status('available', '8.6.2'));
    await assert.rejects(importSavedObjects(objects, o), new RegExp(`Kibana 8\\.6\\.2 is older than ${KIBANA_OBJECTS_VERSION.replace(/\./g, '\\.')}`));
    assert.ok(!k.requests.some((r) => r.method === 'POST'), 'nothing imported into a Kibana too old for the objects');
  });
  await withKibana(async (k, o) => {
    k.otherwise({ status: 503, body: 'Kibana server is not ready yet' });
    await assert.rejects(importSavedObjects(objects, { ...o, readyTimeoutMs: 200 }), /not available within 0 s \(last: HTTP 503\)/);
  });
  // Nothing listens on a port just released.
  const gone = await HttpRecorder.start();
  const url = gone.url('');
  await gone.close();
  await assert.rejects(importSavedObjects(objects, { url, space: null, auth: null, readyTimeoutMs: 0 }), /not available within 0 s \(last: ECONNREFUSED\)/);
});

test('objects Kibana rejects are each named with the reason; an unknown space says so', async () => {
  await withKibana(async (k, o) => {
    k.reply(status('available'), json(200, {
      success: false, successCount: objects.length - 2,
      errors: [
        { id: 'wg-siem-overview', type: 'dashboard', meta: { title: 'WireGuard overview' }, error: { type: 'missing_references', references: [{ type: 'visualization', id: 'wg-siem-gone' }] } },
        { id: 'wg-siem-events', type: 'index-pattern', title: 'logs-wireguard.log-*', error: { type: 'conflict' } },
      ],
    }));
    await assert.rejects(importSavedObjects(objects, o), (e: Error) => {
      assert.match(e.message, new RegExp(`imported ${objects.length - 2} of ${objects.length} objects; 2 failed`));
      assert.match(e.message, /dashboard wg-siem-overview \(WireGuard overview\): refers to missing visualization wg-siem-gone/);
      assert.match(e.message, /index-pattern wg-siem-events \(logs-wireguard\.log-\*\): conflict/);
      return true;
    });
  });
  await withKibana(async (k, o) => {
    k.reply(status('available'), json(404, { statusCode: 404, error: 'Not Found', message: 'Saved object [space/nowhere] not found' }));
    await assert.rejects(importSavedObjects(objects, o), /HTTP 404: does space nowhere exist\?\): Saved object \[space\/nowhere\] not found/);
  }, { space: 'nowhere' });
});
