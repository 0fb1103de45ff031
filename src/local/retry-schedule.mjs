// The local stand-in for template.yaml's RetrySweep schedule: every --every seconds (120, like
// "rate(2 minutes)"), runs the function's retry sweep and logs what it did. Errors (the function still
// starting, say) are logged and the next run comes on time, as with EventBridge Scheduler.
//
//   node retry-schedule.mjs --url http://127.0.0.1:8080/internal/retry-sweep [--every 120] [--exit-on-stdin-eof]
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:8080/internal/retry-sweep' },
    every: { type: 'string', default: '120' },
    'exit-on-stdin-eof': { type: 'boolean', default: false },
  },
});
const everyMs = Number(values.every) * 1000;
if (!Number.isFinite(everyMs) || everyMs <= 0) {
  console.error(`retry-schedule: --every must be a positive number of seconds, got ${values.every}`);
  process.exit(2);
}

async function sweep() {
  const at = new Date().toISOString();
  try {
    const response = await fetch(values.url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    console.log(`${at} retry sweep: ${response.status} ${await response.text()}`);
  } catch (error) {
    console.log(`${at} retry sweep not run: ${error.cause?.code ?? error.cause?.message ?? error.message}`);
  }
}

const timer = setInterval(sweep, everyMs);
console.log(`retry-schedule ready: POST ${values.url} every ${values.every} s`);
if (values['exit-on-stdin-eof']) {
  process.stdin.on('end', () => { clearInterval(timer); process.exit(0); });
  process.stdin.resume();
}
