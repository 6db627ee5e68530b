import type { Migration } from '../migration.types';
import { migration as m001 } from './001_users_and_sessions';
import { migration as m002 } from './002_catalog';
import { migration as m003 } from './003_commerce';
import { migration as m004 } from './004_feed';
import { migration as m005 } from './005_notifications';

/** Applied in this order; never edit a shipped migration, add a new one. */
export const migrations: readonly Migration[] = [m001, m002, m003, m004, m005];
