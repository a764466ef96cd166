/** GET /api/v1/evidence/public-key: the deployment's Ed25519 public key that signs export manifests. */
import { Router } from 'express';
import { api, z } from '@server/schemas/openapi';
import type { SigningKey } from './signing-key';

export const PublicKeySchema = z
  .object({
    algorithm: z.literal('Ed25519'),
    format: z.literal('pem').describe('publicKey is SubjectPublicKeyInfo PEM'),
    publicKey: z.string(),
    keyId: z.string().describe('sha256 (hex) of the DER public key; manifests name their key by it'),
  })
  .openapi('EvidencePublicKey');

api.registerPath({
  method: 'get',
  path: '/api/v1/evidence/public-key',
  tags: ['evidence'],
  summary: 'The Ed25519 public key that signs evidence export manifests (PEM; public: no sign-in needed)',
  responses: { 200: { description: 'Public key', content: { 'application/json': { schema: PublicKeySchema } } }, },
});

export function evidenceKeyRoutes(key: SigningKey): Router {
  const r = Router();
  r.get('/evidence/public-key', (_req, res) => {
    res.json({ algorithm: key.algorithm, format: 'pem', publicKey: key.publicKeyPem, keyId: key.keyId });
  });
  return r;
}
