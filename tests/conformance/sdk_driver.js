// The SDK conformance driver (run by sdk.sh): per provider, what `hooktool sign` and `hooktool
// send` make is accepted by the provider's own verify function, and a tampered body, a tampered
// timestamp and a wrong key are refused by it; where the SDK signs, `hooktool verify` accepts what
// it signed. Usage: NODE_PATH=.../node_modules node sdk_driver.js HOOKTOOL
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const hooktool = process.argv[2];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hooktool-sdk-'));
let checks = 0;
let failures = 0;
const providers = new Map(); // provider -> "package version"

function check(ok, what) {
  checks++;
  if (!ok) {
    failures++;
    console.error(`FAIL: ${what}`);
  }
}

function run(args, env = {}) {
  const r = spawnSync(hooktool, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0 && !env.EXPECT_FAILURE) throw new Error(`hooktool ${args.join(' ')}: ${r.stderr}`);
  return r;
}

function write(name, text) {
  const file = path.join(work, name);
  fs.writeFileSync(file, text);
  return file;
}

function headers(text) {
  const out = {};
  for (const line of text.trim().split('\n')) {
    const colon = line.indexOf(':');
    out[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

function version(pkg) {
  return require(`${pkg}/package.json`).version;
}

// A loopback server that hands the first request's raw body and headers to the caller.
function receiveOne(send) {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"type":1}');
        server.close();
        resolve({ headers: req.headers, body: Buffer.concat(chunks) });
      });
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const child = spawn(hooktool, send(`http://127.0.0.1:${server.address().port}/interactions`), {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.on('exit', (code) => check(code === 0, `hooktool send ${send('URL').join(' ')} exits 0`));
    });
  });
}

async function discord() {
  const { verifyKey } = require('discord-interactions');
  providers.set('discord', `discord-interactions ${version('discord-interactions')}`);
  const pair = JSON.parse(run(['keygen', '--scheme', 'discord', '--json']).stdout);
  const other = JSON.parse(run(['keygen', '--scheme', 'discord', '--json']).stdout);
  const keyFile = write('discord.key', pair.private_key + '\n');
  for (const event of ['ping', 'application_command']) {
    const body = run(['sample', '--vendor', 'discord', '--event', event, '--seed', '7']).stdout;
    const bodyFile = write(`discord-${event}.json`, body);
    const h = headers(run(['sign', '--vendor', 'discord', '--key-file', keyFile, bodyFile]).stdout);
    const sig = h['x-signature-ed25519'];
    const ts = h['x-signature-timestamp'];
    const what = `discord ${event}`;
    check(await verifyKey(body, sig, ts, pair.public_key), `${what}: verifyKey accepts hooktool sign`);
    check(await verifyKey(Buffer.from(body), sig, ts, pair.public_key), `${what}: verifyKey (Buffer)`);
    check(!(await verifyKey(body + ' ', sig, ts, pair.public_key)), `${what}: tampered body refused`);
    check(!(await verifyKey(body, sig, String(Number(ts) + 1), pair.public_key)),
          `${what}: tampered timestamp refused`);
    check(!(await verifyKey(body, sig, ts, other.public_key)), `${what}: wrong key refused`);

    // A delivery of hooktool send, as the receiver's SDK gets it.
    const got = await receiveOne((url) =>
      ['send', '--vendor', 'discord', '--event', event, '--key-file', keyFile, url]);
    const s = got.headers['x-signature-ed25519'];
    const t = got.headers['x-signature-timestamp'];
    check(await verifyKey(got.body, s, t, pair.public_key), `${what}: verifyKey accepts hooktool send`);
    const tampered = Buffer.concat([got.body, Buffer.from('\n')]);
    check(!(await verifyKey(tampered, s, t, pair.public_key)), `${what}: sent body tampered, refused`);
    check(!(await verifyKey(got.body, s, t, other.public_key)), `${what}: sent, wrong key refused`);
  }
}

function standard() {
  const { Webhook } = require('standardwebhooks');
  providers.set('standard', `standardwebhooks ${version('standardwebhooks')}`);
  // standardwebhooks (JS) implements v1 only; v1a is checked by test_pubkey.sh with openssl.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const wh = new Webhook(secret);
  const body = run(['sample', '--vendor', 'standard', '--seed', '7']).stdout;
  const bodyFile = write('standard.json', body);
  const h = headers(run(['sign', '--vendor', 'standard', '--key', secret, bodyFile]).stdout);
  let ok = true;
  try { wh.verify(body, h); } catch (e) { ok = false; }
  check(ok, 'standard v1: Webhook.verify accepts hooktool sign');
  const refused = (payload, hdrs) => {
    try { wh.verify(payload, hdrs); return false; } catch (e) { return true; }
  };
  check(refused(body + ' ', h), 'standard v1: tampered body refused');
  check(refused(body, { ...h, 'webhook-timestamp': String(Number(h['webhook-timestamp']) - 600) }),
        'standard v1: stale timestamp refused');
  check(refused(body, headers(run(['sign', '--vendor', 'standard', '--key', 'whsec_' +
    Buffer.from('another key').toString('base64'), '--id', h['webhook-id'], '--timestamp',
    h['webhook-timestamp'], bodyFile]).stdout)), 'standard v1: wrong key refused');
  // What the SDK signs, hooktool verify accepts.
  const id = 'msg_sdk_1';
  const now = new Date();
  const sdkSig = wh.sign(id, now, body);
  const r = run(['verify', '--vendor', 'standard', '--key', secret, '-H', `webhook-id: ${id}`,
    '-H', `webhook-timestamp: ${Math.floor(now.getTime() / 1000)}`, '-H',
    `webhook-signature: ${sdkSig}`, bodyFile]);
  check(r.status === 0 && r.stdout === 'valid\n', 'standard v1: hooktool verify accepts Webhook.sign');
}

(async () => {
  try {
    await discord();
    standard();
  } catch (e) {
    failures++;
    console.error(`FAIL: ${e.stack || e}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  const list = [...providers.values()].join(', ');
  console.log(`sdk conformance: ${providers.size} providers checked by their own SDKs (${list}): ` +
              `${checks} checks, ${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
})();
