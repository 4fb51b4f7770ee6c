import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, isLoopbackUrl, loadConfig } from '../../../libs/platform/src';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApiApp({ config });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  const shown = config.host === '0.0.0.0' ? 'localhost' : config.host;
  if (config.nodeEnv !== 'development' && isLoopbackUrl(config.publicUrl))
    new Logger('Main').warn(
      `\n${'!'.repeat(78)}\n  PUBLIC_URL is ${config.publicUrl}: certificate QR codes and check-in codes will point to this\n` +
        `  machine only and open nothing on anyone's phone. Set PUBLIC_URL to the address people reach.\n` +
        (config.nodeEnv === 'production' ? '  Certificates are refused until it is set.\n' : '') +
        `${'!'.repeat(78)}`,
    );
  new Logger('Main').log(
    `Lan Tỏa API listening on http://${shown}:${config.port} (docs: /docs) — database: ${
      config.databaseUrl ? 'PostgreSQL server' : `embedded, in ${config.dataDir}`
    }`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
