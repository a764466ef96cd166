/** GET /api/openapi.json and a browsable Swagger UI at /api/docs (files from swagger-ui-dist). */
import express, { Router } from 'express';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { openApiDocument } from '@server/schemas/openapi';

const require = createRequire(import.meta.url);

export function docsRoutes(): Router {
  const router = Router();
  let cached: object | undefined;
  router.get('/openapi.json', (_req, res) => {
    cached ??= openApiDocument();
    res.json(cached);
  });
  const uiDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  router.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>Sky Eye API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`);
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('js').send(`window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#ui' });`);
  });
  router.use('/docs/assets', express.static(uiDir, { index: false, maxAge: '1d' }));
  return router;
}
