export type MovementReason = 'restock' | 'adjustment' | 'sale' | 'cancellation' | 'damaged';

export interface StockMovement {
  id: number;
  productId: number;
  quantity: number;
  reason: MovementReason;
  orderId: number | null;
  note: string;
  createdAt: string;
}

export interface StockLevel {
  productId: number;
  onHand: number;
  movements: StockMovement[];
}

export interface LowStockItem {
  productId: number;
  sku: string;
  name: string;
  onHand: number;
}

export const ADJUSTMENT_REASONS: readonly MovementReason[] = ['restock', 'adjustment', 'damaged'];
