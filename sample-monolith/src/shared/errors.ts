/** Errors a handler may throw; the error middleware turns them into `{ error: { code, message, details } }`. */
export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpError {
  constructor(message: string, details?: FieldProblem[]) {
    super(400, 'VALIDATION_FAILED', message, details);
  }
}

export interface FieldProblem {
  field: string;
  problem: string;
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Authentication required') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'You are not allowed to do this') {
    super(403, 'FORBIDDEN', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string, id?: string | number) {
    super(404, 'NOT_FOUND', id === undefined ? `${what} not found` : `${what} ${id} not found`);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, 'CONFLICT', message);
  }
}

export class PaymentRequiredError extends HttpError {
  constructor(message: string) {
    super(402, 'PAYMENT_DECLINED', message);
  }
}
