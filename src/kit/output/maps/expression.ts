import { parseExpression, namesIn, nodeCount, type Expr } from './parse.js';
import { compile, type Compiled, type Scope } from './evaluate.js';
import { Budget, enter, leave, spend } from './budget.js';
import { toJson } from './pyvalue.js';

/** One stream-map expression, parsed and compiled once. */
export class MapExpression {
  readonly ast: Expr;
  private readonly run: Compiled;
  /** Names the expression reads (e.g. `fake`, to load Faker only when used). */
  readonly names: ReadonlySet<string>;
  /** Steps of one evaluation before any loop (its nodes). */
  private readonly steps: number;

  /** Throws ExpressionSyntaxError (with a column) when the text is not a supported expression. */
  constructor(readonly source: string) {
    this.ast = parseExpression(source);
    this.run = compile(this.ast);
    this.names = namesIn(this.ast);
    this.steps = nodeCount(this.ast);
  }

  /** The raw (Python-like) value, within the scope's budget (a BudgetError past it). */
  evaluate(scope: Scope): unknown {
    const previous = enter(scope.budget ?? new Budget());
    try {
      spend(this.steps);
      return this.run(scope);
    } finally {
      leave(previous);
    }
  }

  /** The value as JSON, for a record. */
  evaluateJson(scope: Scope, where: () => string): unknown {
    const previous = enter(scope.budget ?? new Budget());
    try {
      spend(this.steps);
      return toJson(this.run(scope), where);
    } finally {
      leave(previous);
    }
  }
}

export { ExpressionSyntaxError } from './parse.js';
export { PyError } from './pyvalue.js';
export { Budget, BudgetError, MAX_BYTES, MAX_STEPS } from './budget.js';
export type { Scope } from './evaluate.js';
