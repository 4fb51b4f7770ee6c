import { existsSync } from 'node:fs';
import { serviceState, STATE_FILE, stopService } from './service';

export default async function globalTeardown(): Promise<void> {
  if (existsSync(STATE_FILE)) stopService(serviceState());
}
