// AWS KMS stand-in (the JSON 1.1 protocol of `TrentService`): GenerateDataKey, Decrypt and Encrypt for symmetric
// keys, enough for the function's envelope encryption of Mac recovery PINs. Mounted by sandbox.mjs at /kms, so the
// function reaches it with KMS_ENDPOINT=http://127.0.0.1:<sandbox port>/kms. No dependencies.
//
// Like KMS, a ciphertext blob names its key and is bound to the encryption context it was made with: Decrypt with
// another context, another key or a tampered blob fails with InvalidCiphertextException / IncorrectKeyException.
// Every key id, alias or ARN names a key that exists (derived from one root secret per sandbox: random, or kept in
// --kms-root-key-file so blobs stay decryptable across restarts of a persistent local run).
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { awsError, awsJsonService } from './aws-json.mjs';

const ACCOUNT = '000000000000';
const MAGIC = Buffer.from('LKMS1');

export function createKms({ region = 'eu-west-1', rootKeyFile } = {}) {
  const root = loadRoot(rootKeyFile);

  function keyArn(keyId) {
    if (typeof keyId !== 'string' || keyId.length === 0 || keyId.length > 2048) {
      throw awsError('ValidationException', 'KeyId must be a key id, key ARN, alias name or alias ARN');
    }
    if (/^arn:aws:kms:[^:]+:\d{12}:key\/.+$/.test(keyId)) return keyId;
    const id = /^[0-9a-f-]{36}$/.test(keyId) ? keyId : guid(keyId.replace(/^arn:aws:kms:[^:]+:\d{12}:/, ''));
    return `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
  }

  function guid(text) {
    const h = createHash('sha256').update(text).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  const keyOf = (arn) => createHmac('sha256', root).update(arn).digest();

  // Canonical form of an encryption context: sorted keys, so {a,b} and {b,a} bind alike (as in KMS).
  function contextBytes(context = {}) {
    if (context === null || typeof context !== 'object' || Array.isArray(context)) {
      throw awsError('ValidationException', 'EncryptionContext must be a map of strings');
    }
    const entries = Object.keys(context).sort().map((k) => [k, String(context[k])]);
    return Buffer.from(JSON.stringify(entries));
  }

  function seal(arn, plaintext, context) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keyOf(arn), iv);
    cipher.setAAD(contextBytes(context));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const arnBytes = Buffer.from(arn);
    const arnLength = Buffer.alloc(2);
    arnLength.writeUInt16BE(arnBytes.length);
    return Buffer.concat([MAGIC, arnLength, arnBytes, iv, cipher.getAuthTag(), body]);
  }

  function open(blob, context) {
    const invalid = () => awsError('InvalidCiphertextException', '');
    if (blob.length < MAGIC.length + 2 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) throw invalid();
    const arnLength = blob.readUInt16BE(MAGIC.length);
    const arnEnd = MAGIC.length + 2 + arnLength;
    if (blob.length < arnEnd + 28) throw invalid();
    const arn = blob.subarray(MAGIC.length + 2, arnEnd).toString();
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyOf(arn), blob.subarray(arnEnd, arnEnd + 12));
      decipher.setAAD(contextBytes(context));
      decipher.setAuthTag(blob.subarray(arnEnd + 12, arnEnd + 28));
      return { arn, plaintext: Buffer.concat([decipher.update(blob.subarray(arnEnd + 28)), decipher.final()]) };
    } catch (e) {
      if (e.awsJson) throw e;
      throw invalid();
    }
  }

  function blobArgument(value, name) {
    if (typeof value !== 'string' || value.length === 0) throw awsError('ValidationException', `${name} is required`);
    return Buffer.from(value, 'base64');
  }

  const operations = {
    GenerateDataKey(input) {
      const arn = keyArn(input.KeyId);
      const bytes = input.NumberOfBytes ?? { AES_256: 32, AES_128: 16 }[input.KeySpec];
      if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
        throw awsError('ValidationException', 'Give KeySpec AES_256 or AES_128, or NumberOfBytes 1..1024');
      }
      const plaintext = randomBytes(bytes);
      return {
        KeyId: arn,
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: seal(arn, plaintext, input.EncryptionContext).toString('base64'),
      };
    },
    Encrypt(input) {
      const arn = keyArn(input.KeyId);
      const plaintext = blobArgument(input.Plaintext, 'Plaintext');
      if (plaintext.length > 4096) throw awsError('ValidationException', 'Plaintext is over 4096 bytes');
      return {
        KeyId: arn,
        CiphertextBlob: seal(arn, plaintext, input.EncryptionContext).toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
    Decrypt(input) {
      const { arn, plaintext } = open(blobArgument(input.CiphertextBlob, 'CiphertextBlob'), input.EncryptionContext);
      if (input.KeyId !== undefined && keyArn(input.KeyId) !== arn) {
        throw awsError('IncorrectKeyException', 'The key ID in the request does not identify the key that '
          + 'encrypted the ciphertext');
      }
      return { KeyId: arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
    },
  };

  // Never logs key material or plaintext.
  return awsJsonService('TrentService', operations, (input, output) => ({ keyId: output.KeyId }));
}


function loadRoot(file) {
  if (!file) return randomBytes(32);
  if (existsSync(file)) {
    const root = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (root.length !== 32) throw new Error(`${file} does not hold a base64 32-byte key`);
    return root;
  }
  const root = randomBytes(32);
  writeFileSync(file, `${root.toString('base64')}\n`, { mode: 0o600 });
  return root;
}
