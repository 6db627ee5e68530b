import type { Migration } from '../migration.types';

export const migration: Migration = {
  version: 5,
  name: 'notifications',
  sql: `
    CREATE TABLE email_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      user_id INTEGER REFERENCES users(id),
      to_address TEXT NOT NULL,
      subject TEXT NOT NULL,
      body TEXT NOT NULL,
      template TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      sent_at TEXT
    );
    CREATE TABLE notification_preferences (
      user_id INTEGER PRIMARY KEY REFERENCES users(id),
      order_updates INTEGER NOT NULL DEFAULT 1,
      marketing INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL
    );
  `,
};
