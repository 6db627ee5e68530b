export interface DailySales {
  day: string;
  orders: number;
  revenueCents: number;
}

export interface TopProduct {
  productId: number;
  name: string;
  unitsSold: number;
  revenueCents: number;
}

export interface CustomerSummary {
  userId: number;
  email: string;
  displayName: string;
  orders: number;
  spentCents: number;
}

export interface ShopStats {
  users: number;
  activeProducts: number;
  ordersByStatus: Record<string, number>;
  capturedCents: number;
}

export interface DateRange {
  from: string;
  to: string;
}
