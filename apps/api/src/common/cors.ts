import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { Request } from 'express';
import type { AppConfig } from '../../../../libs/config';

/**
 * One CORS policy per request: the codec endpoint (`codecPath`, a prefix) admits the Temporal UI's origins
 * (CODEC_CORS_ORIGINS) with the headers that UI sends (its namespace, and the admin's token when
 * configured to pass it); everything else admits CORS_ORIGINS. An origin not listed gets no CORS
 * headers, so the browser refuses the answer.
 */
export function corsPolicy(config: Pick<AppConfig, 'corsOrigins' | 'codecCorsOrigins'>, codecPath: string): CorsOptionsDelegate<Request> | false {
  if (config.corsOrigins.length === 0 && config.codecCorsOrigins.length === 0) return false;
  const codec: CorsOptions = {
    origin: config.codecCorsOrigins.length ? config.codecCorsOrigins : false,
    methods: ['POST'],
    allowedHeaders: ['authorization', 'content-type', 'x-namespace'],
    credentials: true,
    maxAge: 600,
  };
  const api: CorsOptions = { origin: config.corsOrigins.length ? config.corsOrigins : false };
  return (request, callback) => callback(null, (request.originalUrl ?? request.url).startsWith(codecPath) ? codec : api);
}
