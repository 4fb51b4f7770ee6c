import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream } from 'pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Paths whose last segment is a secret (check-in and verification tokens) are logged without it. */
const SECRET_PATHS = /^\/(checkin|verify)\/[^/?]+/;

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

function safeUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.replace(SECRET_PATHS, '/$1/…');
}

/**
 * Structured JSON logs with a request id on every line. Headers and bodies are never logged (they carry
 * passwords and tokens); the request line keeps method, path without query and status.
 */
@Module({})
export class LoggingModule {
  static forRoot(stream?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => {
            const options = {
              level: config.logLevel,
              genReqId: requestId,
              redact: {
                paths: ['password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken'],
                censor: '[redacted]',
              },
              serializers: {
                req: (req: { id: string; method: string; url: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: safeUrl(req.url),
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              // The request line says how it ended; an error's stack, where there is one, is logged once by
              // the problem filter (pino-http would otherwise add a stack of its own to every 5xx line).
              customErrorObject: (
                _req: IncomingMessage,
                _res: ServerResponse,
                _error: Error,
                value: object,
              ) => {
                const { err: _err, ...line } = value as { err?: unknown };
                return line;
              },
              customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
                error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            };
            // Written synchronously to stdout: the lines of a shutdown (SIGTERM ends the process right after the
            // application closes) reach the log instead of dying in a buffer.
            return { pinoHttp: [options, stream ?? pino.destination({ dest: 1, sync: true })] };
          },
        }),
      ],
    };
  }
}
