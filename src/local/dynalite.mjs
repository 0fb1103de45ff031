#!/usr/bin/env node
// Local DynamoDB: dynalite in-process, with every AWS::DynamoDB::Table of the SAM template created
// under its logical id.
//
//   node src/local/dynalite.mjs --port 8701 [--path DIR] [--template FILE] [--exit-on-stdin-eof]
//
// Prints `dynalite ready 127.0.0.1:<port> tables=<ids>` once the tables exist.
import { parseArgs } from 'node:util';
import dynalite from 'dynalite';
import { DEFAULT_TEMPLATE, readTemplate } from './template.mjs';

const HOST = '127.0.0.1';

function fail(message) {
  process.stderr.write(`dynalite: ${message}\n`);
  process.exit(1);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string' },
      path: { type: 'string' },
      template: { type: 'string', default: DEFAULT_TEMPLATE },
      'exit-on-stdin-eof': { type: 'boolean', default: false },
    },
  }));
} catch (e) {
  fail(`${e.message}\nusage: node dynalite.mjs --port P [--path DIR] [--template FILE] [--exit-on-stdin-eof]`);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail('--port must be a port number between 1 and 65535');

function tableRequests(templatePath) {
  let template;
  try {
    template = readTemplate(templatePath);
  } catch (e) {
    fail(`cannot read template ${templatePath}: ${e.message}`);
  }
  return Object.entries(template?.Resources ?? {})
    .filter(([, resource]) => resource?.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, { Properties: p = {} }]) => {
      const request = {
        TableName: logicalId,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        BillingMode: 'PAY_PER_REQUEST',
      };
      const index = ({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection });
      if (p.GlobalSecondaryIndexes?.length) request.GlobalSecondaryIndexes = p.GlobalSecondaryIndexes.map(index);
      if (p.LocalSecondaryIndexes?.length) request.LocalSecondaryIndexes = p.LocalSecondaryIndexes.map(index);
      return request;
    });
}

// dynalite ignores the signature, but like DynamoDB it wants an AWS4 Authorization header and a date.
async function callDynamo(operation, body) {
  const response = await fetch(`http://${HOST}:${port}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      'X-Amz-Date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
      Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, '
        + 'SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function createTable(request) {
  const { status, json } = await callDynamo('CreateTable', request);
  if (status === 200) return;
  // A --path store keeps its tables between runs: an existing table is fine.
  if (json.__type?.endsWith('#ResourceInUseException')) return;
  throw new Error(`CreateTable ${request.TableName} failed (${status}): ${json.__type} ${json.message ?? json.Message ?? ''}`);
}

const tables = tableRequests(args.template);
const server = dynalite({ path: args.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });

let stopping = false;
function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  // Idle keep-alive connections from SDK clients would otherwise hold close() open.
  server.closeAllConnections?.();
  server.close(() => process.exit(code));
  setTimeout(() => process.exit(code), 3000).unref();
}
process.on('SIGTERM', () => shutdown());
process.on('SIGINT', () => shutdown());
if (args['exit-on-stdin-eof']) {
  process.stdin.on('end', () => shutdown()).on('error', () => shutdown()).resume();
}

server.on('error', (e) => {
  if (e.code === 'EADDRINUSE') fail(`port ${port} on ${HOST} is already in use; pick another with --port`);
  fail(`server error: ${e.message}`);
});

server.listen(port, HOST, async () => {
  try {
    for (const table of tables) await createTable(table);
  } catch (e) {
    process.stderr.write(`dynalite: ${e.message}\n`);
    shutdown(1);
    return;
  }
  process.stdout.write(`dynalite ready ${HOST}:${port} tables=${tables.map((t) => t.TableName).join(',')}\n`);
});
