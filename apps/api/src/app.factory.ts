import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { AppConfig } from '../../../libs/config';
import { JsonLogger, setLogLevel } from '../../../libs/logging';
import { AppModule } from './app.module';
import { CODEC_ROUTE } from './codec/codec.controller';
import { contentSecurityPolicyMiddleware } from './common/content-security-policy';
import { corsPolicy } from './common/cors';
import { NestJsonLogger } from './common/nest-json-logger';
import { bodyErrorsMiddleware } from './common/body-errors.middleware';
import { requireUtf8Body, storableTextMiddleware } from './common/storable-text.middleware';
import { JsonObjectBodyPipe } from './common/json-object-body.pipe';
import { closeRequestBodySchemas, methodNotAllowedMiddleware } from './common/openapi-document';
import { createValidationPipe } from './common/validation.pipe';
import { requestIdMiddleware } from './common/request-id.middleware';
import { serveWebInterface } from './web-interface';

export const API_PREFIX = 'api/v1';
/** The contract's limit (API.md): a larger body is a 413. */
const BODY_LIMIT = '1mb';

/** Builds the HTTP application exactly as production runs it; tests use the same function. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  setLogLevel(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: new NestJsonLogger(),
    bodyParser: false,
    cors: corsPolicy(config, `/${API_PREFIX}/${CODEC_ROUTE}/`),
  });
  app.use(requestIdMiddleware);
  // Helmet's other headers; the Content-Security-Policy is ours (common/content-security-policy.ts).
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(contentSecurityPolicyMiddleware);
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // X-Forwarded-For is believed only from the proxies named in TRUST_PROXY (none by default).
  app.set('trust proxy', config.trustProxy.length ? config.trustProxy : false);
  // Any JSON value parses (JsonObjectBodyPipe refuses non-objects after authentication).
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], strict: false, verify: requireUtf8Body });
  app.use(bodyErrorsMiddleware);
  app.use(storableTextMiddleware);
  serveWebInterface(app);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new JsonObjectBodyPipe(), createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Appraise API')
      .setDescription('Evaluation of public ICT investment proposals: agencies, reviewers, approvers, finance and oversight.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  closeRequestBodySchemas(document);
  app.use(methodNotAllowedMiddleware(document));
  // Served under the API base (the contract's paths are relative to it) and at the root.
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, { jsonDocumentUrl: `${API_PREFIX}/docs-json` });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  new JsonLogger('Api').debug('application created');
  return app;
}
