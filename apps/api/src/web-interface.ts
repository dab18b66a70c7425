import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonLogger } from '../../../libs/logging';

/**
 * The compiled web interface (apps/web, built into dist/web). From the compiled API it sits
 * beside dist/apps; from the sources (tests) under dist/.
 */
function webInterfaceDirectory(): string | null {
  const candidates = [join(__dirname, '..', '..', '..', 'web'), join(__dirname, '..', '..', '..', 'dist', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the web interface from the API's own origin, so it needs no server of its own and no
 * CORS: it is a client of the public API like any other. Pages revalidate on every load.
 */
export function serveWebInterface(app: NestExpressApplication): void {
  const dir = webInterfaceDirectory();
  if (!dir) {
    new JsonLogger('Api').warn('web interface not built (dist/web missing): serving the API only');
    return;
  }
  app.useStaticAssets(dir, { index: 'index.html', maxAge: 0, etag: true, fallthrough: true });
}
