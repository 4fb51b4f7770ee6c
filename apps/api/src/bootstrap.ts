import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import compression from 'compression';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import {
  ProblemFilter,
  requestBodies,
  securityHeaders,
  validationErrorFactory,
  webAppHandler,
} from '../../../libs/platform/src';
import { AppModule, AppOptions } from './app.module';

/** Builds the HTTP application exactly as it runs in production; tests boot it through here too. */
export async function createApiApp(options: AppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bufferLogs: true,
    abortOnError: false,
    // Bodies are read by requestBodies(), which checks size, depth, type and text before parsing.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders({ https: options.config.cookieSecure }));
  app.use(requestBodies());
  // Large JSON answers (a province's KPI is ~120 kB) go out compressed to clients that accept it.
  app.use(compression({ threshold: 8 * 1024 }));
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      exceptionFactory: validationErrorFactory,
    }),
  );
  app.useGlobalFilters(new ProblemFilter());
  // The web app answers the paths the API does not own (its client-side routes), on the same origin.
  app.use(webAppHandler(options.config.webDir));

  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** The OpenAPI document of the API, as served at /docs-json and as the web app's client is generated from. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const info = new DocumentBuilder()
    .setTitle('Lan Tỏa API')
    .setDescription(
      'Quản lý mạng lưới đào tạo lan tỏa "Bình dân học AI": đơn vị hành chính, giảng viên, lớp học, KPI.',
    )
    .setVersion('1')
    .addBearerAuth()
    // The partner API (/api/v1/partner/…) takes an API key instead of a user's token; xAPI clients send it
    // as the Basic password. See docs/partners.md.
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'ltk_…', description: 'Khóa API của đối tác' },
      'partner-key',
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'Khóa API làm mật khẩu (xAPI)' },
      'partner-basic',
    )
    .build();
  return withPathParameters(SwaggerModule.createDocument(app, info));
}

/**
 * Every `{name}` in a path is a required path parameter. Route parameter classes that document themselves
 * (@ApiProperty, with their format) are kept; any other is declared as a string, so that no client is
 * generated without a way to fill in the path.
 */
function withPathParameters(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (!operation) continue;
      const parameters = (operation.parameters ??= []);
      for (const name of names) {
        const declared = parameters.some((p) => 'name' in p && p.name === name && p.in === 'path');
        if (!declared) parameters.unshift({ name, in: 'path', required: true, schema: { type: 'string' } });
      }
    }
  }
  return document;
}
