export type TemplateName = 'welcome' | 'order_placed' | 'payment_received' | 'order_shipped' | 'order_cancelled';

export interface EmailRequest {
  userId: number;
  template: TemplateName;
  data: Record<string, string | number>;
}

export interface OutboxEmail {
  id: number;
  userId: number | null;
  to: string;
  subject: string;
  body: string;
  template: TemplateName;
  status: 'pending' | 'sent' | 'skipped';
  attempts: number;
  createdAt: string;
  sentAt: string | null;
}

export interface Preferences {
  orderUpdates: boolean;
  marketing: boolean;
}
