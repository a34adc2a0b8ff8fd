/**
 * Dispatch analysis: how a driver's control-request code uses the IOCTL
 * buffers. The pieces, by job:
 *
 *  - `vocabulary.ts`  the WDM/KMDF/NDIS names as data (registration, code,
 *                     buffers, 32-bit tests, retrieves, probes, copies);
 *  - `statements.ts`  the statement tree of a function body;
 *  - `expressions.ts` expressions and local declarations;
 *  - `types.ts`       type names looked up in a translation unit;
 *  - `summary.ts`     one function's summary (cached by content);
 *  - `driver.ts`      the interprocedural pass over every unit of a driver;
 *  - `model.ts`       the answer: routines, cases, uses, call chains.
 *
 * One translation unit is a driver of one unit (`analyzeDispatch`); a
 * front end holding several units of one driver summarises each
 * (`summarizeUnit`) and runs `driverRoutines` over all of them.
 */

import type { TranslationUnit } from './ast';
import type { Loc } from './source';
import type { Token } from './token';
import { driverRoutines } from './dispatch/driver';
import type { DispatchRoutine } from './dispatch/model';
import { type SummaryParam, summarizeFunction, summarizeUnit } from './dispatch/summary';
import { type TypeResolver, unitTypes } from './dispatch/types';

export * from './dispatch/model';
export { type DriverUnit, type DriverOptions, driverRoutines, labelFunctions } from './dispatch/driver';
export { type FunctionSummary, type UnitSummary, type HandlerTable, summarizeFunction, summarizeUnit } from './dispatch/summary';
export { type TypeResolver, lookupTypeName, recordBehind, unitTypes, paramTypeName } from './dispatch/types';
export * as vocabulary from './dispatch/vocabulary';

export interface DispatchOptions {
  resolver: TypeResolver;
  /** Names of known IOCTL macros, to recognise switches by their labels. */
  ioctlNames?: ReadonlySet<string>;
}

/** Analyses one function given as tokens (its body from `{` to `}`); undefined when it dispatches on no control code. */
export function analyzeFunction(
  fn: { name: string; params?: SummaryParam[]; body: Token[]; loc?: Loc },
  options: DispatchOptions,
): DispatchRoutine | undefined {
  const summary = summarizeFunction(fn, options.resolver);
  const [routines] = driverRoutines([{ summary: { functions: [summary], tables: [] }, types: options.resolver }], { ioctlNames: options.ioctlNames });
  return routines[0];
}

/** Every dispatch routine of one translation unit, read as a driver of its own. */
export function analyzeDispatch(unit: TranslationUnit, options: { fallback?: TranslationUnit; ioctlNames?: ReadonlySet<string>; inScope?: (file: string) => boolean } = {}): DispatchRoutine[] {
  const types = unitTypes(unit, options.fallback);
  const summary = summarizeUnit(unit, types, options.inScope);
  return driverRoutines([{ summary, types }], { ioctlNames: options.ioctlNames })[0];
}
