/** What `strangler route` and its runner share: where the admin API is by default, and the common flags. */
export const DEFAULT_ADMIN = 'http://127.0.0.1:8081';

export interface AdminFlags {
  admin: string;
  token?: string;
  json?: boolean;
}
