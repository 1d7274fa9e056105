// The conformance test's driver (run by run.sh): every form body and JSON document of the corpus,
// hand-written and generated, goes through hooktool convert and through the real Rack, qs and PHP;
// for each dialect the results must be identical, errors included.
// Usage: NODE_PATH=/usr/share/nodejs node driver.js HOOKTOOL
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const qs = require('qs');

const hooktool = process.argv[2];
const here = __dirname;
const generated = Number(process.env.CONFORMANCE_GENERATED || 300);
const verbose = process.env.CONFORMANCE_VERBOSE === '1';

// ---- the corpus -------------------------------------------------------------------------------

function readCorpus(file) {
  const cases = [];
  for (const line of fs.readFileSync(path.join(here, file), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    cases.push(line.startsWith('json:') ? JSON.parse(line.slice(5)) : line);
  }
  return cases;
}

// A small deterministic generator (xorshift32), so that a failure can be reproduced.
let seed = 0x9e3779b9;
function random(n) {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed % n;
}
function pick(list) {
  return list[random(list.length)];
}

function generateForm() {
  const names = ['a', 'b', 'c', '0', '1', '5', '21', 'x+y', 'a.b', 'a%20b', '%C3%A9', 'é', '__proto__', 'toString', '', '[', ']', '%5B', 'k'];
  const segments = ['[]', '[]', '[0]', '[1]', '[2]', '[20]', '[21]', '[x]', '[y]', '[x]', '[ ]', '[', ']', '[a.b]', '[é]', '[%5D]', 'z', '[-1]', '[01]'];
  const values = ['', '1', 'x', 'x', '%41', '%zz', '%FF', '+', 'a+b', '%C3%A9', 'é', 'true', 'null', '1.5', '%', '=', '%26'];
  const separators = ['&', '&', '&', '&', ';', '& ', '&&'];
  let body = '';
  const count = 1 + random(6);
  for (let i = 0; i < count; i++) {
    if (i > 0) body += pick(separators);
    let name = pick(names);
    const depth = random(5);
    for (let j = 0; j < depth; j++) name += pick(segments);
    body += name;
    if (random(6) > 0) body += '=' + pick(values);
  }
  return body;
}

function generateValue(depth) {
  const keys = ['a', 'b', 'c', '0', '1', '2', '10', 'x y', 'é', '', 'a[b]', 'a.b', '__proto__'];
  const strings = ['x', '', 'x y', 'é', '1', 'true', 'a&b=c', '~*', '日本'];
  const numbers = [0, 1, -1, 1.5, 1e21, 0.1, 100.0, 123456789, 1e-7, 0.30000000000000004];
  const kind = depth >= 3 ? 2 + random(5) : random(7);
  if (kind === 0) {
    const obj = {};
    const n = random(4);
    for (let i = 0; i < n; i++) obj[pick(keys)] = generateValue(depth + 1);
    return obj;
  }
  if (kind === 1) {
    const n = random(4);
    const array = [];
    for (let i = 0; i < n; i++) array.push(generateValue(depth + 1));
    return array;
  }
  if (kind === 2 || kind === 3) return pick(strings);
  if (kind === 4) return pick(numbers);
  if (kind === 5) return pick([true, false]);
  return random(3) === 0 ? null : pick(strings);
}

function generateDoc() {
  const obj = {};
  const n = 1 + random(4);
  for (let i = 0; i < n; i++) obj[pick(['a', 'b', 'c', 'd', '0', 'x', 'é'])] = generateValue(1);
  return JSON.stringify(obj);
}

const forms = readCorpus('forms.txt');
const docs = readCorpus('docs.txt');
const handForms = forms.length;
const handDocs = docs.length;
for (let i = 0; i < generated; i++) forms.push(generateForm());
for (let i = 0; i < Math.floor(generated / 2); i++) docs.push(generateDoc());

// ---- the oracles ------------------------------------------------------------------------------

// JSON text the way hooktool writes it compactly: only '"', '\' and control characters escaped.
function canon(value) {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') {
    return '"' + value.replace(/["\\\u0000-\u001f]/g, (c) => {
      const named = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
      return named[c] || '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
    }) + '"';
  }
  if (Array.isArray(value)) return '[' + value.map(canon).join(',') + ']';
  if (typeof value === 'object') return '{' + Object.keys(value).map((k) => canon(k) + ':' + canon(value[k])).join(',') + '}';
  throw new TypeError('unexpected ' + typeof value);
}

function qsOracle(mode, input) {
  try {
    return 'OK ' + (mode === 'parse' ? canon(qs.parse(input)) : qs.stringify(JSON.parse(input)));
  } catch (e) {
    return 'ERR ' + e.constructor.name + ': ' + e.message;
  }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hooktool-conformance-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

function batchOracle(command, script, mode, inputs) {
  const file = path.join(scratch, mode + '.txt');
  fs.writeFileSync(file, inputs.map((s) => JSON.stringify(s)).join('\n') + '\n');
  const run = spawnSync(command, [path.join(here, script), mode, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) {
    console.error(`${command} ${script} failed: ${run.stderr}`);
    process.exit(1);
  }
  const lines = run.stdout.split('\n');
  lines.pop();
  if (lines.length !== inputs.length) {
    console.error(`${script} ${mode}: ${lines.length} answers for ${inputs.length} cases`);
    process.exit(1);
  }
  return lines;
}

const oracles = {
  rack: { parse: batchOracle('ruby', 'oracle.rb', 'parse', forms), build: batchOracle('ruby', 'oracle.rb', 'build', docs) },
  qs: { parse: forms.map((f) => qsOracle('parse', f)), build: docs.map((d) => qsOracle('build', d)) },
  php: { parse: batchOracle('php', 'oracle.php', 'parse', forms), build: batchOracle('php', 'oracle.php', 'build', docs) },
};

// ---- hooktool against them ----------------------------------------------------------------------

// Error messages of the oracle that hooktool repeats word for word.
function expectedMessage(oracle) {
  const m = /^ERR ([\w:]+): (.*)$/.exec(oracle);
  if (!m) return null;
  if (/InvalidParameterError|ParameterTypeError/.test(m[1]) && m[2].length < 150) return m[2];
  if (/invalid UTF-8/.test(m[2])) return 'invalid UTF-8';
  return null;
}

let passed = 0;
let failed = 0;
const failures = [];

function check(dialect, direction, input, args, oracle) {
  const run = spawnSync(hooktool, ['convert', '--dialect', dialect, ...args], { input: Buffer.from(input, 'utf8'), maxBuffer: 1 << 28 });
  const stdout = run.stdout.toString('utf8');
  const stderr = run.stderr.toString('utf8');
  let problem = null;
  if (oracle.startsWith('OK ')) {
    let want = oracle.slice(3);
    if (direction === 'form→json') want += '\n';
    if (run.status !== 0) problem = `hooktool failed (exit ${run.status}): ${stderr.trim()}`;
    else if (stdout !== want) problem = `hooktool wrote ${JSON.stringify(stdout)}`;
  } else {
    const lines = stderr.split('\n').filter((l) => l !== '');
    const message = expectedMessage(oracle);
    if (run.status !== 2) problem = `hooktool did not fail (exit ${run.status}): ${JSON.stringify(stdout)}`;
    else if (stdout !== '') problem = 'hooktool failed but wrote to stdout';
    else if (lines.length !== 1 || !/^hooktool: .+ \(.+\)$/.test(lines[0])) problem = `not one error line: ${JSON.stringify(stderr)}`;
    else if (message && !lines[0].includes(message)) problem = `hooktool said ${JSON.stringify(lines[0])}`;
  }
  if (problem) {
    failed++;
    failures.push(`${dialect} ${direction} ${JSON.stringify(input)}\n    ${dialect}: ${oracle}\n    ${problem}`);
  } else {
    passed++;
    if (verbose) console.log(`ok ${dialect} ${direction} ${JSON.stringify(input)}`);
  }
  return !problem;
}

const summary = [];
for (const dialect of ['rack', 'qs', 'php']) {
  let same = 0;
  let errors = 0;
  forms.forEach((form, i) => {
    const oracle = oracles[dialect].parse[i];
    if (oracle.startsWith('ERR')) errors++;
    if (check(dialect, 'form→json', form, ['--from', 'form', '--to', 'json', '--compact'], oracle)) same++;
  });
  summary.push(`${dialect} form→json: ${same} of ${forms.length} identical (${handForms} written by hand, ${forms.length - handForms} generated; ${errors} are errors)`);
  same = 0;
  errors = 0;
  docs.forEach((doc, i) => {
    const oracle = oracles[dialect].build[i];
    if (oracle.startsWith('ERR')) errors++;
    if (check(dialect, 'json→form', doc, ['--from', 'json', '--to', 'form', '--lossy'], oracle)) same++;
  });
  summary.push(`${dialect} json→form: ${same} of ${docs.length} identical (${handDocs} written by hand, ${docs.length - handDocs} generated; ${errors} are errors)`);
}

for (const f of failures.slice(0, 40)) console.log('FAIL: ' + f);
if (failures.length > 40) console.log(`... and ${failures.length - 40} more failures`);
for (const line of summary) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
