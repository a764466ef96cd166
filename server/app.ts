/** The express app, without listen(), so tests can mount it on any port. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context';
import { errorHandler, notFoundHandler } from './http/problem';
import { httpLogger } from './http/logger';
import { metricsMiddleware } from './ops/metrics';
import { opsRoutes } from './ops/routes';
import { apiRoutes } from './routes/index';
import { tileOrigin } from './geo/map-routes';
import { liveMediaRoutes } from './live/index';
import type { Services } from './services/index';

export const WEB_DIST = join(process.cwd(), 'web', 'dist');

/**
 * A worker-role process serves /healthz and /readyz (/metrics: the ops listener), and the token-protected live media
 * of the cameras it ingests (api processes proxy browsers' requests here).
 */
export function createOpsApp(ctx: AppContext, services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(httpLogger(ctx.logger));
  app.use(opsRoutes(ctx));
  app.use('/api/v1', liveMediaRoutes(services.live, ctx.logger));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

export function createApp(ctx: AppContext, services: Services): Express {
  const app = express();
  // A county tile server (map.tileUrl) is the one image origin besides our own.
  const tiles = tileOrigin(ctx.config.map);
  app.disable('x-powered-by');
  // No generated ETag (a SHA-1 of every JSON body, ~2 % of a camera-list request): the API answers
  // Cache-Control: no-store; routes that support revalidation set their own (camera, user, clip).
  app.set('etag', false);
  app.set('trust proxy', ctx.config.http.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
          'media-src': ["'self'", 'blob:'],
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'worker-src': ["'self'", 'blob:'],
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(httpLogger(ctx.logger));
  app.use(metricsMiddleware(ctx.metrics));
  app.use(cookieParser());
  app.use(opsRoutes(ctx));
  app.use('/api', apiRoutes(ctx, services));
  if (existsSync(WEB_DIST)) {
    app.use(express.static(WEB_DIST, { index: false, maxAge: '1h' }));
    // SPA fallback: every other GET that wants HTML gets the console.
    app.get(/^\/(?!api\/|socket\.io\/).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(WEB_DIST, 'index.html'));
    });
  }
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
