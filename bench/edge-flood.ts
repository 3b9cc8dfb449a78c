/**
 * The anonymous clients of bench/edge.ts, in a process of their own as an attacker's would be: `clients` loops each
 * sending 31 MB JSON bodies without a token to POST /api/v1/loans:batch until told to stop; reports the statuses.
 */
import http from 'node:http';

const [portText, clientsText, bytesText] = process.argv.slice(2);
const port = Number(portText);
const body = Buffer.alloc(Number(bytesText), '[');
let flooding = true;
const statuses: Record<string, number> = {};

function upload(): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/loans:batch',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    });
    let counted = false;
    const finish = (status: string) => {
      if (counted) return;
      counted = true;
      statuses[status] = (statuses[status] ?? 0) + 1;
      req.destroy();
      resolve();
    };
    req.on('response', (response) => {
      response.resume();
      finish(String(response.statusCode));
    });
    // The service closes the connection after its answer: a write cut short is expected, the answer is what counts.
    req.on('error', () => setTimeout(() => finish('reset before an answer'), 0));
    req.end(body);
  });
}

process.on('message', (message) => {
  if (message === 'stop') flooding = false;
});

void Promise.all(
  Array.from({ length: Number(clientsText) }, async () => {
    while (flooding) await upload();
  }),
).then(() => {
  process.send!({ statuses });
  process.disconnect();
});
process.send!('started');
