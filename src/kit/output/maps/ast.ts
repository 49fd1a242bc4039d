/** The syntax tree of a stream-map expression (what `parse.ts` builds and `evaluate.ts` walks). */

export type Expr =
  | { k: 'const'; v: string | number | bigint | boolean | null; pos: number }
  | { k: 'name'; id: string; pos: number }
  | { k: 'list' | 'tuple'; items: Expr[]; pos: number }
  | { k: 'dict'; entries: Array<[Expr, Expr]>; pos: number }
  | { k: 'attr'; obj: Expr; name: string; pos: number }
  | { k: 'index'; obj: Expr; index: Expr; pos: number }
  | { k: 'slice'; obj: Expr; lower?: Expr; upper?: Expr; step?: Expr; pos: number }
  | { k: 'call'; fn: Expr; args: Expr[]; kwargs: Array<[string, Expr]>; pos: number }
  | { k: 'unary'; op: '-' | '+' | 'not'; x: Expr; pos: number }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '//' | '%' | '**'; l: Expr; r: Expr; pos: number }
  | { k: 'cmp'; ops: CmpOp[]; operands: Expr[]; pos: number }
  | { k: 'bool'; op: 'and' | 'or'; l: Expr; r: Expr; pos: number }
  | { k: 'if'; test: Expr; body: Expr; orelse: Expr; pos: number }
  | { k: 'comp'; elt: Expr; generators: Generator[]; pos: number };

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';
export interface Generator { targets: string[]; iter: Expr; conds: Expr[] }
