// AWS Secrets Manager stand-in (the JSON 1.1 protocol of `secretsmanager`): GetSecretValue, CreateSecret and
// PutSecretValue for string secrets, enough for the function to read its Intune credential and webhook secrets by
// name or ARN, and for tests to create and rotate them. Mounted by sandbox.mjs at /secretsmanager. In memory; never
// logs a secret value.
import { createHash, randomUUID } from 'node:crypto';
import { awsError, awsJsonService } from './aws-json.mjs';

const ACCOUNT = '000000000000';

export function createSecretsManager({ region = 'eu-west-1' } = {}) {
  const secrets = new Map(); // name -> { arn, versions: [{ id, value, at }] }

  const arnOf = (name) => `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-`
    + createHash('sha256').update(name).digest('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 6);

  function find(secretId) {
    if (typeof secretId !== 'string' || secretId.length === 0) throw awsError('InvalidParameterException', 'SecretId is required');
    for (const [name, secret] of secrets) {
      if (secretId === name || secretId === secret.arn) return { name, secret };
    }
    throw awsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }

  function addVersion(secret, value, token) {
    if (typeof value !== 'string' || value.length === 0) throw awsError('InvalidParameterException', 'SecretString is required');
    const version = { id: token ?? randomUUID(), value, at: Date.now() / 1000 };
    secret.versions.push(version);
    return version;
  }

  const operations = {
    CreateSecret(input) {
      if (typeof input.Name !== 'string' || !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(input.Name)) {
        throw awsError('InvalidParameterException', 'Name must be 1-512 of A-Za-z0-9/_+=.@-');
      }
      if (secrets.has(input.Name)) throw awsError('ResourceExistsException', `The secret ${input.Name} already exists.`);
      const secret = { arn: arnOf(input.Name), versions: [] };
      const version = addVersion(secret, input.SecretString, input.ClientRequestToken);
      secrets.set(input.Name, secret);
      return { ARN: secret.arn, Name: input.Name, VersionId: version.id };
    },
    PutSecretValue(input) {
      const { name, secret } = find(input.SecretId);
      const version = addVersion(secret, input.SecretString, input.ClientRequestToken);
      return { ARN: secret.arn, Name: name, VersionId: version.id, VersionStages: ['AWSCURRENT'] };
    },
    GetSecretValue(input) {
      const { name, secret } = find(input.SecretId);
      const version = secret.versions.at(-1);
      return {
        ARN: secret.arn, Name: name, VersionId: version.id, SecretString: version.value,
        VersionStages: ['AWSCURRENT'], CreatedDate: version.at,
      };
    },
  };

  return awsJsonService('secretsmanager', operations, (input) => ({ secretId: input.SecretId ?? input.Name }));
}
