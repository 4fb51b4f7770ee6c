import { existsSync } from 'node:fs';
import type { TestProvider } from '../support/oidc-provider';
import { serviceState, STATE_FILE, stopService } from './service';

export default async function globalTeardown(): Promise<void> {
  if (existsSync(STATE_FILE)) stopService(serviceState());
  await (globalThis as { lantoaProvider?: TestProvider }).lantoaProvider?.close();
}
