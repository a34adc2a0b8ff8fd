/**
 * The interprocedural pass: a driver's dispatch routines from the summaries
 * of all its translation units.
 *
 * Algorithm.
 *  1. Index every summarised function by name. A call from unit U resolves
 *     to U's own definition first (its `static` functions and the inline
 *     functions of its headers), else to a non-`static` one of any unit.
 *  2. Roots: functions registered for control requests
 *     (`MajorFunction[IRP_MJ_DEVICE_CONTROL | IRP_MJ_INTERNAL_DEVICE_CONTROL |
 *     IRP_MJ_FILE_SYSTEM_CONTROL] = F`, a KMDF queue's `EvtIoDeviceControl` /
 *     `EvtIoInternalDeviceControl`). From each root, calls are followed
 *     (with what each argument carries) until a function dispatches on the
 *     control code: a `switch`, an `if`/`else if` chain, or a call through
 *     a handler table. Tests met on the way guard every case.
 *  3. Functions that dispatch on the code by their shape alone (a `switch`
 *     on `IoControlCode`, labels that are IOCTL names) are routines too,
 *     analysed with what their parameters' names and types say.
 *  4. Each case collects its events, and follows its calls to any depth:
 *     a callee's events are computed once per (function, argument origins)
 *     and composed with the call's guard; recursion ends at a function
 *     already being expanded.
 *
 * Symbolic origins (`p:N`, `ret:K`, `field:F`) are resolved here, per call
 * context, to `buf`, `code` and `test`.
 */

import type { Loc } from '../source';
import type { BufferUse, CallStep, CaseLabel, DispatchCase, DispatchRoutine, Guard, Registration } from './model';
import type { Cond, FunctionSummary, HandlerTable, Origin, SummaryCall, SummaryConstruct, UnitSummary } from './summary';
import type { TypeResolver } from './types';
import type { Framework } from './vocabulary';
import { append } from '../arrays';

type Fact = 'buf' | 'test' | 'code' | 'len' | 'mem' | 'mode' | 'fn';
type Facts = ReadonlySet<Fact>;

export interface DriverUnit {
  summary: UnitSummary;
  types: TypeResolver;
}

export interface DriverOptions {
  /** Names of known IOCTL macros, to recognise dispatches by their labels. */
  ioctlNames?: ReadonlySet<string>;
}

interface Placed {
  fn: FunctionSummary;
  unit: number;
}

interface Context {
  fn: FunctionSummary;
  unit: number;
  args: Facts[];
}

interface Events {
  uses: BufferUse[];
  tests: Loc[];
  /** Uses and calls left out because only kernel-mode callers reach them (behind a `RequestorMode` test). */
  gated: number;
  /** Calls, reached by any caller, that pass the buffer on (to code we may not see into), and raw reads of it (`*(PULONG)Buffer`). */
  open: number;
}

/** A case only kernel-mode callers get anything done in: work behind a requestor-mode test, none before it. */
const kernelGated = (e: Events) => e.gated > 0 && e.uses.length === 0 && e.open === 0;

const none: Facts = new Set();
const maxDepth = 48;

const fnKey = (fn: FunctionSummary) => `${fn.file}\0${fn.loc.offset}\0${fn.name}`;
const factsKey = (args: Facts[]) => args.map((a) => [...a].sort().join('+')).join(',');

export function driverRoutines(units: readonly DriverUnit[], options: DriverOptions = {}): DispatchRoutine[][] {
  return new DriverAnalysis(units, options).run();
}

class DriverAnalysis {
  private readonly byName = new Map<string, Placed[]>();
  private readonly fieldFacts = new Map<string, Set<Fact>>();
  private readonly tables = new Map<string, { table: HandlerTable; unit: number }[]>();
  private readonly returns = new Map<string, Facts>();
  private readonly calleeEvents = new Map<string, Events>();
  private readonly expanding = new Set<string>();
  private readonly out: DispatchRoutine[][];
  private readonly emitted = new Set<string>();
  /** The unit whose types resolved each use (the unit of the function it was found in). */
  private readonly useUnits = new WeakMap<BufferUse, number>();

  constructor(
    private readonly units: readonly DriverUnit[],
    private readonly options: DriverOptions,
  ) {
    this.out = units.map(() => []);
    units.forEach((u, unit) => {
      for (const fn of u.summary.functions) {
        const list = this.byName.get(fn.name);
        if (list) {
          if (!list.some((p) => fnKey(p.fn) === fnKey(fn) && p.unit === unit)) list.push({ fn, unit });
        } else this.byName.set(fn.name, [{ fn, unit }]);
        this.addFieldWrites(fn);
      }
      for (const table of u.summary.tables) {
        const list = this.tables.get(table.name);
        if (list) list.push({ table, unit });
        else this.tables.set(table.name, [{ table, unit }]);
      }
    });
  }

  run(): DispatchRoutine[][] {
    // Roots: registered control routines, followed down to where they dispatch. A routine
    // registered for internal device control as well is reached first as the user-facing one.
    const roots: { r: FunctionSummary['registrations'][number]; unit: number; from: string }[] = [];
    this.units.forEach((u, unit) => {
      for (const fn of u.summary.functions) for (const r of fn.registrations) roots.push({ r, unit, from: fn.name });
    });
    roots.sort((a, b) => Number(a.r.major === 'internal-device-control') - Number(b.r.major === 'internal-device-control'));
    for (const { r, unit, from } of roots) {
      const root = this.callee(r.handler, unit, from);
      if (!root) continue;
      const registration: Registration = { handler: r.handler, loc: r.loc };
      if (r.major !== 'any') registration.major = r.major;
      this.discover({ fn: root.fn, unit: root.unit, args: this.defaultArgs(root.fn) }, registration, r.kmdf ? 'kmdf' : root.fn.framework, [], [], new Set(), 0);
    }
    // Shapes: dispatches on the code that no registration led to.
    this.units.forEach((u, unit) => {
      for (const fn of u.summary.functions) {
        if (fn.constructs.length === 0 && !fn.calls.some((c) => c?.through)) continue;
        const ctx: Context = { fn, unit, args: this.defaultArgs(fn) };
        this.emitConstructs(ctx, undefined, undefined, [], []);
      }
    });
    return this.out;
  }

  /**
   * A function by name as seen from a unit (summarised on first use when it
   * was left lazy). C++: a name the unit does not define as written may be a
   * member function named from inside its class (`OnRead` in `Device::OnIoctl`
   * is `Device::OnRead`), or written with namespaces the function's name
   * leaves out (`contoso::Device::OnRead` is `Device::OnRead`).
   */
  private callee(name: string | undefined, unit: number, from?: string): Placed | undefined {
    if (!name) return undefined;
    const found = this.calleeNamed(name, unit);
    if (found || !(name.includes('::') || from?.includes('::'))) return found;
    if (from?.includes('::') && !name.includes('::')) {
      const inClass = this.calleeNamed(`${from.slice(0, from.lastIndexOf('::'))}::${name}`, unit);
      if (inClass) return inClass;
    }
    for (let cut = name.indexOf('::'); cut >= 0; cut = name.indexOf('::', cut + 2)) {
      const shorter = this.calleeNamed(name.slice(cut + 2), unit);
      if (shorter) return shorter;
    }
    return undefined;
  }

  private calleeNamed(name: string, unit: number): Placed | undefined {
    const list = this.byName.get(name);
    const here = list?.find((p) => p.unit === unit);
    if (here) return here;
    const lazyHere = this.units[unit]?.summary.lazy?.get(name);
    if (lazyHere) return this.place(lazyHere.get(), unit);
    const elsewhere = list?.find((p) => !p.fn.isStatic);
    if (elsewhere) return elsewhere;
    for (let u = 0; u < this.units.length; u++) {
      const l = this.units[u].summary.lazy?.get(name);
      if (l && !l.isStatic) return this.place(l.get(), u);
    }
    return undefined;
  }

  /** A function's field writes as driver-wide facts, by `R.F` and by the bare name `F`. */
  private addFieldWrites(fn: FunctionSummary): void {
    for (const [field, origins] of Object.entries(fn.fieldWrites)) {
      const name = field.slice(field.lastIndexOf('.') + 1);
      for (const key of field === name ? [name] : [field, `.${name}`]) {
        let set = this.fieldFacts.get(key);
        if (!set) this.fieldFacts.set(key, (set = new Set()));
        for (const o of origins) if (o === 'test' || o === 'code' || o === 'buf' || o === 'mem') set.add(o);
      }
    }
  }

  /**
   * What a field may hold: `R.F` what was stored in R's F or in an F of an
   * unknown record; a bare `F` (record unknown) what was stored in any F.
   */
  private fieldFactsOf(field: string): Iterable<Fact> {
    const dot = field.lastIndexOf('.');
    if (dot < 0) return [...(this.fieldFacts.get(field) ?? none), ...(this.fieldFacts.get(`.${field}`) ?? none)];
    return [...(this.fieldFacts.get(field) ?? none), ...(this.fieldFacts.get(field.slice(dot + 1)) ?? none)];
  }

  private place(fn: FunctionSummary, unit: number): Placed {
    const placed = { fn, unit };
    const list = this.byName.get(fn.name);
    if (list) list.push(placed);
    else this.byName.set(fn.name, [placed]);
    return placed;
  }

  /** What parameters carry when no caller says: their roles by type and name. */
  private defaultArgs(fn: FunctionSummary): Facts[] {
    return fn.params.map((p) => (p.role === 'code' ? new Set<Fact>(['code']) : p.role === 'buffer' ? new Set<Fact>(['buf']) : p.role === 'length' ? new Set<Fact>(['len']) : none));
  }

  /** Resolves symbolic origins in a context. */
  private resolve(origins: readonly Origin[] | undefined, ctx: Context): Facts {
    if (!origins || origins.length === 0) return none;
    const out = new Set<Fact>();
    for (const o of origins) {
      if (o === 'buf' || o === 'test' || o === 'code' || o === 'len' || o === 'mem' || o === 'mode' || o === 'fn') out.add(o);
      else if (o.startsWith('of:')) {
        if (this.resolve([o.slice(3)], ctx).has('mem')) out.add('buf');
      }
      else if (o.startsWith('p:')) for (const f of ctx.args[Number(o.slice(2))] ?? none) out.add(f);
      else if (o.startsWith('field:')) for (const f of this.fieldFactsOf(o.slice(6))) out.add(f);
      else if (o.startsWith('ret:')) for (const f of this.returnOf(ctx, Number(o.slice(4)))) out.add(f);
    }
    return out;
  }

  /** What the function called at call site `k` returns. */
  private returnOf(ctx: Context, k: number): Facts {
    const call = ctx.fn.calls[k];
    const target = call ? this.callee(call.callee, ctx.unit, ctx.fn.name) : undefined;
    if (!call || !target || target.fn.returns.length === 0) return none;
    // Arguments may hold further calls (`f(g(h(x)))`, recursion through arguments): one resolution at a time per site.
    const site = `site\0${fnKey(ctx.fn)}\0${factsKey(ctx.args)}\0${k}`;
    if (this.expanding.has(site) || this.expanding.size > maxDepth * 4) return none;
    this.expanding.add(site);
    const args = call.args.map((a) => this.resolve(a, ctx));
    this.expanding.delete(site);
    const key = `${fnKey(target.fn)}\0${factsKey(args)}`;
    const hit = this.returns.get(key);
    if (hit) return hit;
    if (this.expanding.has(`ret\0${key}`) || this.expanding.size > maxDepth * 4) return none;
    this.expanding.add(`ret\0${key}`);
    const facts = this.resolve(target.fn.returns, { fn: target.fn, unit: target.unit, args });
    this.expanding.delete(`ret\0${key}`);
    this.returns.set(key, facts);
    return facts;
  }

  /** The innermost condition that is a 32-bit test in this context decides the guard. */
  private guardOf(conds: readonly Cond[], ctx: Context): Guard | undefined {
    for (let i = conds.length - 1; i >= 0; i--) {
      if (!conds[i].mode && this.resolve(conds[i].on, ctx).has('test')) return conds[i].positive ? 'wow64' : 'native';
    }
    return undefined;
  }

  /** Only kernel-mode callers get here (`if (Irp->RequestorMode != KernelMode) break;` before it): no 32-bit process does. */
  private kernelOnly(conds: readonly Cond[], ctx: Context): boolean {
    return conds.some((c) => c.mode && c.positive && this.resolve(c.on, ctx).has('mode'));
  }

  /** Whether a construct dispatches on the control code, on its function number, or on neither. */
  private dispatchOn(c: SummaryConstruct, ctx: Context): 'code' | 'fn' | undefined {
    if (c.labelsNamed) return 'code';
    if (this.options.ioctlNames && c.cases.some((k) => k.labels.some((l) => l.name && this.options.ioctlNames!.has(l.name)))) return 'code';
    const on = this.resolve(c.on, ctx);
    return on.has('code') ? 'code' : on.has('fn') ? 'fn' : undefined;
  }

  /** Tests in the function before token index `at`, resolved. */
  private testsBefore(ctx: Context, at: number): Loc[] {
    const out: Loc[] = [];
    for (const t of ctx.fn.tests) if (t.at < at && this.resolve(t.on, ctx).has('test')) out.push(t.loc);
    return out;
  }

  /** From a registered function down to the function(s) that dispatch on the code. */
  private discover(ctx: Context, registration: Registration, framework: Framework | undefined, path: CallStep[], pathTests: Loc[], seen: Set<string>, depth: number): void {
    const key = fnKey(ctx.fn);
    if (seen.has(key) || depth > 8) return;
    seen.add(key);
    // Past a dispatch, only calls outside its labelled cases (`default:` handing the code to a
    // second dispatch routine, as socket and control-device drivers do) may lead to another.
    const cases = this.emitConstructs(ctx, registration, framework, path, pathTests);
    const calls = ctx.fn.calls
      .filter((c): c is SummaryCall => !!c && !!c.callee && !(cases && c.regions?.some((r) => cases.has(r))))
      .sort((a, b) => a.at - b.at);
    for (const c of calls) {
      const target = this.callee(c.callee, ctx.unit, ctx.fn.name);
      if (!target) continue;
      const args = c.args.map((a) => this.resolve(a, ctx));
      const tests = [...pathTests, ...this.testsBefore(ctx, c.at)];
      this.discover({ fn: target.fn, unit: target.unit, args }, registration, framework, [...path, { callee: target.fn.name, loc: c.loc }], tests, seen, depth + 1);
    }
  }

  /**
   * Emits a routine for each dispatch construct of the function in this
   * context; the regions of their labelled cases when there was one.
   */
  private emitConstructs(ctx: Context, registration: Registration | undefined, framework: Framework | undefined, path: CallStep[], pathTests: Loc[]): Set<number> | undefined {
    let found = false;
    // User mode cannot send internal device control requests: their cases keep their labels and tests, no uses.
    const kernelCallers = registration?.major === 'internal-device-control';
    const dispatching = ctx.fn.constructs.filter((c) => this.dispatchOn(c, ctx));
    const caseRegions = new Set(dispatching.flatMap((c) => c.cases.map((k) => k.region)));
    for (const c of dispatching) {
      found = true;
      // A dispatch inside a case of another one in this function belongs to that case.
      if (c.within?.some((r) => caseRegions.has(r))) continue;
      const key = `${c.loc.file}\0${c.loc.offset}`;
      if (this.emitted.has(key)) continue;
      this.emitted.add(key);
      const before = [...pathTests, ...this.testsBefore(ctx, c.at)];
      const byFunction = this.dispatchOn(c, ctx) === 'fn';
      const cases: DispatchCase[] = [];
      for (const k of c.cases) {
        const sink: Events = { uses: [], tests: [...before], gated: 0, open: 0 };
        this.collect(ctx, (e) => !!e.regions && e.regions.includes(k.region), 'none', [], sink);
        const labels = byFunction ? k.labels.map(functionLabel) : k.labels;
        const kase: DispatchCase = { labels, loc: k.loc, end: k.end, uses: kernelCallers ? [] : dedupe(sink.uses), tests: sink.tests };
        if (kernelCallers || kernelGated(sink)) kase.kernelOnly = true;
        cases.push(kase);
      }
      this.push(ctx, { shape: c.shape, loc: c.loc, cases }, registration, framework, path);
    }
    // Calls through a handler table: each entry is a case calling its handler.
    for (const call of ctx.fn.calls) {
      if (!call?.through) continue;
      const table = call.through.map((n) => this.tableNamed(n, ctx.unit)).find((t) => t);
      if (!table) continue;
      // A table in function order is a dispatch when its subscript is the function number.
      const positional = table.entries.some((e) => e.position !== undefined);
      if (positional && !(call.index && this.resolve(call.index.on, ctx).has('fn'))) continue;
      const first = call.index?.offset ?? 0;
      found = true;
      const key = `${call.loc.file}\0${call.loc.offset}`;
      if (this.emitted.has(key)) continue;
      this.emitted.add(key);
      const args = call.args.map((a) => this.resolve(a, ctx));
      const outer = this.guardOf(call.guard, ctx) ?? 'none';
      const before = [...pathTests, ...this.testsBefore(ctx, call.at)];
      const cases: DispatchCase[] = [];
      for (const entry of table.entries) {
        const target = this.callee(entry.handler, ctx.unit, ctx.fn.name);
        const sink: Events = { uses: [], tests: [...before], gated: 0, open: 0 };
        if (target) this.callInto({ fn: target.fn, unit: target.unit, args }, outer, [{ callee: target.fn.name, loc: call.loc }], sink);
        const labels = entry.position !== undefined ? [{ function: entry.position + first, loc: entry.loc }] : entry.labels;
        const kase: DispatchCase = { labels, loc: entry.loc, end: entry.loc, uses: kernelCallers ? [] : dedupe(sink.uses), tests: sink.tests };
        if (kernelCallers || kernelGated(sink)) kase.kernelOnly = true;
        cases.push(kase);
      }
      this.push(ctx, { shape: 'table', loc: call.loc, cases }, registration, framework, path);
    }
    return found ? caseRegions : undefined;
  }

  private tableNamed(name: string, unit: number): HandlerTable | undefined {
    const list = this.tables.get(name);
    return (list?.find((t) => t.unit === unit) ?? list?.[0])?.table;
  }

  private push(
    ctx: Context,
    r: { shape: DispatchRoutine['shape']; loc: Loc; cases: DispatchCase[] },
    registration: Registration | undefined,
    framework: Framework | undefined,
    path: CallStep[],
  ): void {
    const routine: DispatchRoutine = {
      name: ctx.fn.name,
      loc: ctx.fn.loc,
      framework: ctx.fn.framework !== 'unknown' ? ctx.fn.framework : (framework ?? 'unknown'),
      switchLoc: r.loc,
      shape: r.shape,
      cases: r.cases.filter((c) => c.labels.length > 0),
    };
    if (registration) routine.registration = registration;
    if (path.length) routine.path = path;
    this.out[ctx.unit].push(routine);
    // A record the routine's unit cannot see (declared only in the header of a handler's file) is
    // judged in the unit that used it: that unit also gets the routine, with those uses alone.
    const home = this.units[ctx.unit].types;
    const elsewhere = new Map<number, DispatchCase[]>();
    for (const c of routine.cases) {
      const byUnit = new Map<number, BufferUse[]>();
      for (const u of c.uses) {
        const unit = this.useUnits.get(u);
        if (unit === undefined || unit === ctx.unit || !u.record || home.recordOf(u.record)) continue;
        const list = byUnit.get(unit);
        if (list) list.push(u);
        else byUnit.set(unit, [u]);
      }
      for (const [unit, uses] of byUnit) {
        const list = elsewhere.get(unit);
        const part = { ...c, uses };
        if (list) list.push(part);
        else elsewhere.set(unit, [part]);
      }
    }
    for (const [unit, cases] of elsewhere) this.out[unit].push({ ...routine, cases });
  }

  /** The events of `ctx.fn` that `filter` keeps, resolved, with the callees' events. */
  private collect(ctx: Context, filter: (e: { regions?: number[] }) => boolean, outer: Guard, chain: CallStep[], sink: Events): void {
    const types = this.units[ctx.unit].types;
    for (const u of ctx.fn.uses) {
      if (!filter(u)) continue;
      if (this.kernelOnly(u.guard, ctx)) {
        sink.gated++;
        continue;
      }
      if (u.on && !this.resolve(u.on, ctx).has(u.need ?? 'buf')) continue;
      const use = resolveUse(u, types);
      if (!use) continue;
      use.guard = this.guardOf(u.guard, ctx) ?? outer;
      if (chain.length) {
        use.via = chain[chain.length - 1].callee;
        use.chain = chain;
      }
      this.useUnits.set(use, ctx.unit);
      sink.uses.push(use);
    }
    for (const t of ctx.fn.tests) if (filter(t) && this.resolve(t.on, ctx).has('test')) sink.tests.push(t.loc);
    // Raw reads of the buffer are work any caller gets done unless a requestor-mode test keeps it out.
    for (const r of ctx.fn.reads) {
      if (!filter(r) || !this.resolve(r.on, ctx).has('buf')) continue;
      if (this.kernelOnly(r.guard, ctx)) sink.gated++;
      else sink.open++;
    }
    for (const c of ctx.fn.calls) {
      if (!c || !c.callee || !filter(c)) continue;
      if (this.kernelOnly(c.guard, ctx)) {
        sink.gated++;
        continue;
      }
      const args = c.args.map((a) => this.resolve(a, ctx));
      const target = this.callee(c.callee, ctx.unit, ctx.fn.name);
      if (!target) {
        if (args.some((a) => a.has('buf'))) sink.open++;
        continue;
      }
      const guard = this.guardOf(c.guard, ctx) ?? outer;
      this.callInto({ fn: target.fn, unit: target.unit, args }, guard, [...chain, { callee: target.fn.name, loc: c.loc }], sink);
    }
  }

  /** A callee's whole body, computed once per (function, argument facts), composed with the call's guard and chain. */
  private callInto(ctx: Context, guard: Guard, chain: CallStep[], sink: Events): void {
    const key = `${fnKey(ctx.fn)}\0${factsKey(ctx.args)}`;
    let events = this.calleeEvents.get(key);
    if (!events) {
      if (this.expanding.has(key) || chain.length > maxDepth) return;
      this.expanding.add(key);
      events = { uses: [], tests: [], gated: 0, open: 0 };
      this.collect(ctx, () => true, 'none', [], events);
      this.expanding.delete(key);
      this.calleeEvents.set(key, events);
    }
    const step = chain[chain.length - 1];
    const prefix = chain;
    for (const u of events.uses) {
      const inner = u.chain ?? [];
      const use = { ...u, guard: u.guard === 'none' ? guard : u.guard, via: inner.length ? u.via : step.callee, chain: [...prefix, ...inner] };
      const unit = this.useUnits.get(u);
      if (unit !== undefined) this.useUnits.set(use, unit);
      sink.uses.push(use);
    }
    append(sink.tests, events.tests);
    sink.gated += events.gated;
    sink.open += events.open;
  }
}

/** A summary use as a buffer use, when its type names a record (or, for probes, any type). */
function resolveUse(u: FunctionSummary['uses'][number], types: TypeResolver): BufferUse | undefined {
  const deref = u.typeName.endsWith(' [deref]');
  const typeName = deref ? u.typeName.slice(0, -' [deref]'.length) : u.typeName;
  let resolved = types.recordOf(typeName);
  if (deref) resolved = resolved && resolved.pointers > 0 ? { ...resolved, pointers: resolved.pointers - 1 } : undefined;
  switch (u.kind) {
    case 'size-check':
    case 'sizeof':
    case 'retrieve':
      // `sizeof(PFOO)` is a pointer's size, not the record's.
      if (!resolved || resolved.pointers > 0) return undefined;
      break;
    case 'cast':
    case 'assign':
      if (!resolved || resolved.pointers !== 1) return undefined;
      break;
    case 'copy':
      if (!resolved || resolved.pointers > 1) return undefined;
      break;
    case 'probe':
      break;
  }
  const use: BufferUse = { kind: u.kind, typeName: deref && resolved ? resolved.record : typeName, guard: 'none', loc: u.loc, end: u.end };
  if (resolved) use.record = resolved.record;
  if (u.call) use.call = u.call;
  return use;
}

/**
 * Names the labels of dispatches on the function number after the driver's
 * IOCTL definitions: a label for function F becomes one label per IOCTL
 * with function F (a table in function order usually serves one device
 * type); a label naming its IOCTL gets that IOCTL's value. In place, and
 * idempotent (labels already named keep their value).
 */
export function labelFunctions(routines: readonly DispatchRoutine[], ioctls: readonly { name: string; code: { value: number; function: number }; aliasOf?: string }[]): void {
  for (const r of routines) {
    for (const c of r.cases) {
      if (!c.labels.some((l) => l.function !== undefined && l.value === undefined)) continue;
      c.labels = c.labels.flatMap((l) => {
        if (l.function === undefined || l.value !== undefined) return [l];
        if (l.name) {
          const def = ioctls.find((d) => d.name === l.name);
          return [def ? { ...l, value: def.code.value } : l];
        }
        const defs = ioctls.filter((d) => d.code.function === l.function && !d.aliasOf);
        return defs.length ? defs.map((d) => ({ ...l, name: d.name, value: d.code.value })) : [l];
      });
    }
  }
}

/**
 * A label of a dispatch on the function number: its value is the function;
 * an extraction macro's argument (`FUNCTION_OF(IOCTL_A)`) names the IOCTL.
 */
function functionLabel(l: CaseLabel): CaseLabel {
  const label: CaseLabel = { loc: l.loc };
  if (l.value !== undefined) label.function = l.value;
  if (l.argument) label.name = l.argument;
  return label;
}

function dedupe(uses: BufferUse[]): BufferUse[] {
  const seen = new Set<string>();
  const out: BufferUse[] = [];
  for (const u of uses) {
    const key = `${u.kind}\0${u.typeName}\0${u.loc.file}\0${u.loc.offset}\0${u.guard}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(u);
  }
  return out;
}

export type { CaseLabel };
