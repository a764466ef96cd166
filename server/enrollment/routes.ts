/** /api/v1/enrollment/merchant: a merchant offers their own camera (pending operator approval). */
import { Router } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import { requireRole } from '@server/auth/middleware';
import { MerchantEnrollResultSchema, MerchantEnrollSchema } from '@server/discovery/schemas';
import { api, problems } from '@server/schemas/openapi';
import { parseBody } from '@server/schemas/validate';
import type { MerchantEnrollmentService } from './merchant-service';

api.registerPath({
  method: 'post',
  path: '/api/v1/enrollment/merchant',
  tags: ['Enrollment'],
  summary: 'Merchant self-enrollment: verify the camera (ONVIF or RTSP DESCRIBE) and file it as pending, with consent recorded',
  request: { body: { content: { 'application/json': { schema: MerchantEnrollSchema } } } },
  responses: {
    201: { description: 'Filed as pending', content: { 'application/json': { schema: MerchantEnrollResultSchema } } },
    ...problems(400, 401, 403, 422),
  },
});

export function enrollmentRoutes(merchant: MerchantEnrollmentService): Router {
  const r = Router();
  r.post('/enrollment/merchant', requireRole('merchant'), async (req, res) => {
    const body = parseBody(MerchantEnrollSchema, req);
    res.status(201).json(await merchant.enroll(body, { user: req.user!, audit: actorOf(req) }));
  });
  return r;
}
