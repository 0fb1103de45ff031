// The AWS JSON 1.1 protocol that KMS and Secrets Manager speak, for the sandbox's stand-ins: POST with
// `X-Amz-Target: <service>.<Operation>`, a SigV4-signed request (not checked, only required, like the real
// services), a JSON body; an error is 400 `{"__type","message"}`. Each call is remembered as `record` describes
// it, so tests can count them; nothing of a body is ever logged.

/** An error the service answers with (type as in AWS's API reference). */
export function awsError(type, message) {
  return Object.assign(new Error(message), { awsJson: true, type });
}

/** A service: `operations` maps operation names to functions from input to output JSON. */
export function awsJsonService(targetPrefix, operations, record) {
  let calls = [];
  const targetPattern = new RegExp(`^${targetPrefix.replace('.', '\\.')}\\.(\\w+)$`);

  function reply(res, status, json) {
    const payload = JSON.stringify(json);
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(payload) });
    res.end(payload);
  }

  /** Answers one request whose body has been read. */
  function handle(req, res, body) {
    const target = targetPattern.exec(req.headers['x-amz-target'] ?? '');
    try {
      if (req.method !== 'POST' || !target) {
        throw awsError('UnknownOperationException', `POST with X-Amz-Target: ${targetPrefix}.<Operation>`);
      }
      const operation = operations[target[1]];
      if (!operation) throw awsError('UnknownOperationException', `${target[1]} is not served by this stand-in`);
      if (!/^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '')) {
        throw awsError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      }
      let input;
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        throw awsError('SerializationException', 'The request body is not JSON');
      }
      const output = operation(input);
      calls.push({ operation: target[1], ...record(input, output), at: new Date().toISOString() });
      reply(res, 200, output);
    } catch (e) {
      if (!e.awsJson) throw e;
      reply(res, 400, { __type: e.type, message: e.message });
    }
  }

  return { handle, calls: () => calls, reset: () => { calls = []; } };
}
