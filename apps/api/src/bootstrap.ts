import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import compression from 'compression';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ProblemFilter, validationErrorFactory } from '../../../libs/platform/src';
import { AppModule, AppOptions } from './app.module';

/** Builds the HTTP application exactly as it runs in production; tests boot it through here too. */
export async function createApiApp(options: AppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.useBodyParser('json', { limit: '2mb' });
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

  const openApi = new DocumentBuilder()
    .setTitle('Lan Tỏa API')
    .setDescription(
      'Quản lý mạng lưới đào tạo lan tỏa "Bình dân học AI": đơn vị hành chính, giảng viên, lớp học, KPI.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
