import type { Expr, PatternFact, RouteFacts, Stmt } from './facts';
import { callPackage, routerMethod, type Host } from './http';
import { DYNAMIC } from './paths';
import { carriesRouter, concat, either, isLazy, orElse, pathsOf, str, UNDEF, UNKNOWN, type ClassValue, type FnValue, type Framework, type Frame, type Lazy, type NestSettings, type Origin, type RouterObj, type Slot, type TrpcHandler, type Value } from './values';

export type ResolveImport = (fromModuleId: string, specifier: string) => string | undefined;

/** Reads a module again with its function and class bodies (for modules first read shallowly). */
export type LoadDeep = (moduleId: string) => RouteFacts | undefined;

/** Calls nested deeper than this return unknown (and so do recursions). */
const MAX_DEPTH = 48;
/** Evaluation steps for a whole project; past it the analysis stops and says so. */
const DEFAULT_BUDGET = 2_000_000;
/** Iterations of one loop or callback over an array. */
const MAX_ITEMS = 256;

interface ModuleState {
  frame: Frame;
  /** CommonJS `module`: its `exports` member is the module's value. */
  moduleObj: Value & { t: 'obj' };
  started: boolean;
  exportCache: Map<string, Value>;
}

/**
 * Runs the facts of every module the way Node would load them, far enough to see which router every
 * route lands on: module top levels first, every call followed into the function it calls (across
 * modules, through classes, closures and callbacks), then the functions nobody called in routing
 * files, each on its own (see README.md, "How routes are found").
 */
export class Interpreter implements Host {
  readonly routers: RouterObj[] = [];
  readonly nest: NestSettings = { globalPrefixes: [], versioning: [], roots: [] };
  readonly trpcHandlers: TrpcHandler[] = [];
  /** Modules read again because something in them was needed. */
  readonly demanded = new Set<string>();
  /** Function or class id → runs it was called in. */
  private readonly invoked = new Map<string, Set<number>>();
  /** Orphan run → the function or class it runs. */
  private readonly runRoots = new Map<number, string>();
  private readonly states = new Map<string, ModuleState>();
  private readonly parents = new WeakMap<ClassValue, Value>();
  private readonly stack: string[] = [];
  private readonly facts: Map<string, RouteFacts>;
  run = 0;
  private depth = 0;
  private steps = 0;
  readonly budget: number;
  budgetExceeded = false;

  constructor(
    facts: ReadonlyMap<string, RouteFacts>,
    private readonly resolveImport: ResolveImport,
    private readonly load?: LoadDeep,
    budget = DEFAULT_BUDGET,
  ) {
    this.facts = new Map(facts);
    this.budget = budget;
  }

  /** Main run (every module's top level), then the orphan runs. */
  runAll(): void {
    const mods = [...this.facts.keys()];
    for (const mod of mods) this.initModule(mod);
    let runs = 0;
    for (const mod of mods) {
      for (const root of this.facts.get(mod)?.roots ?? []) {
        const key = root.fn ?? (root.cls as string);
        const id = `${mod}#${key}`;
        if (this.invoked.has(id)) continue;
        this.run = ++runs;
        this.runRoots.set(this.run, id);
        const env = this.state(mod).frame;
        const site = { mod, line: 0, depth: 0 };
        if (root.fn) this.invoke({ t: 'fn', mod, key, env }, undefined, [], site);
        else this.orphanInstance({ t: 'class', mod, key, env }, site, () => ++runs);
      }
    }
    this.run = 0;
  }

  /**
   * A class nobody instantiates: one instance (this run), then each of its methods that may register
   * and that nobody called, each in a run of its own.
   */
  private orphanInstance(cls: ClassValue, site: Origin, nextRun: () => number): void {
    const inst = this.construct(cls, [], site);
    const fact = this.classFacts(cls);
    if (inst.t !== 'inst' || !fact) return;
    const f = this.facts.get(cls.mod) as RouteFacts;
    for (const m of fact.members) {
      const id = `${cls.mod}#${m.fn}`;
      if (m.kind !== 'method' || m.static || !m.fn || !f.fns[m.fn]?.reg || this.invoked.has(id)) continue;
      this.run = nextRun();
      this.runRoots.set(this.run, id);
      this.invoke({ t: 'fn', mod: cls.mod, key: m.fn, env: cls.env, home: cls }, inst, [], site);
    }
  }

  /** An orphan run whose function or class was also called from elsewhere: its findings are superseded. */
  dropped(run: number): boolean {
    if (run === 0) return false;
    const runs = this.invoked.get(this.runRoots.get(run) as string);
    if (!runs) return false;
    for (const r of runs) if (r !== run) return true;
    return false;
  }

  factsOf(mod: string): RouteFacts | undefined {
    return this.facts.get(mod);
  }

  /** The module's facts with bodies, read again if it was read shallowly. */
  deepFacts(mod: string): RouteFacts | undefined {
    const f = this.facts.get(mod);
    if (!f || f.deep || !this.load) return f;
    const deep = this.load(mod);
    if (!deep) return f;
    this.demanded.add(mod);
    this.facts.set(mod, deep);
    return deep;
  }

  // ---- modules

  private state(mod: string): ModuleState {
    let s = this.states.get(mod);
    if (!s) {
      const exportsObj: Value = { t: 'obj', props: new Map() };
      s = {
        frame: { mod, fn: '', vars: new Map() },
        moduleObj: { t: 'obj', props: new Map([['exports', exportsObj]]) },
        started: false,
        exportCache: new Map(),
      };
      this.states.set(mod, s);
    }
    return s;
  }

  moduleFrame(mod: string): Frame {
    return this.state(mod).frame;
  }

  initModule(mod: string): void {
    const s = this.state(mod);
    if (s.started) return;
    s.started = true;
    const f = this.facts.get(mod);
    if (!f) return;
    const saved = this.run;
    const savedDepth = this.depth;
    // a module's top level belongs to the main run, whichever run first touched the module
    this.run = 0;
    this.depth = 0;
    this.exec(f.body, s.frame);
    this.run = saved;
    this.depth = savedDepth;
  }

  private target(mod: string, specifier: string): string | undefined {
    const t = this.resolveImport(mod, specifier);
    return t !== undefined && this.facts.has(t) ? t : undefined;
  }

  /** `require('x')` / `import * as x` / `import('x')`. */
  moduleValue(fromMod: string, specifier: string): Value {
    const t = this.target(fromMod, specifier);
    if (t === undefined) return { t: 'pkg', spec: specifier, path: [] };
    this.initModule(t);
    return this.facts.get(t)?.cjs ? this.force(this.state(t).moduleObj.props.get('exports') as Slot) : { t: 'module', mod: t };
  }

  private importValue(mod: string, from: string, name: string): Value {
    if (name === '*') return this.moduleValue(mod, from);
    const t = this.target(mod, from);
    if (t === undefined) return { t: 'pkg', spec: from, path: name === 'default' ? [] : [name] };
    return this.exported(t, name, 0);
  }

  exported(mod: string, name: string, depth: number): Value {
    if (depth > MAX_DEPTH) return UNKNOWN;
    this.initModule(mod);
    const f = this.facts.get(mod);
    if (!f) return UNKNOWN;
    const s = this.state(mod);
    const e = Object.hasOwn(f.exports, name) ? f.exports[name] : undefined;
    if (e) {
      if (e.key !== undefined) return this.lookup(s.frame, e.key);
      if (e.e) {
        let v = s.exportCache.get(name);
        if (!v) s.exportCache.set(name, (v = this.ev(e.e, s.frame)));
        return v;
      }
      if (e.from !== undefined && e.name !== undefined) {
        const t = this.target(mod, e.from);
        if (t === undefined) return { t: 'pkg', spec: e.from, path: e.name === 'default' || e.name === '*' ? [] : [e.name] };
        return e.name === '*' ? this.moduleValue(mod, e.from) : this.exported(t, e.name, depth + 1);
      }
    }
    if (f.cjs) {
      const mx = this.force(s.moduleObj.props.get('exports') as Slot);
      return name === 'default' ? mx : this.member(mx, name);
    }
    for (const star of f.exportStars) {
      const t = this.target(mod, star);
      if (t !== undefined && this.hasExport(t, name, depth + 1)) return this.exported(t, name, depth + 1);
    }
    return name === 'default' ? { t: 'module', mod } : UNDEF;
  }

  private hasExport(mod: string, name: string, depth: number): boolean {
    const f = this.facts.get(mod);
    if (!f || depth > MAX_DEPTH) return false;
    if (Object.hasOwn(f.exports, name) || f.cjs) return true;
    return f.exportStars.some((star) => {
      const t = this.target(mod, star);
      return t !== undefined && this.hasExport(t, name, depth + 1);
    });
  }

  // ---- bindings

  force(s: Slot): Value {
    if (!isLazy(s)) return s;
    if (s.value) return s.value;
    if (s.forcing) return UNKNOWN;
    s.forcing = true;
    const saved = this.run;
    const savedDepth = this.depth;
    // a deferred initializer runs as part of the run (and at the depth) that declared it
    this.run = s.run ?? saved;
    this.depth = s.depth ?? savedDepth;
    const v = s.lazy();
    this.run = saved;
    this.depth = savedDepth;
    s.value = v;
    s.forcing = false;
    if (s.writes) for (const w of s.writes.splice(0)) w(v);
    return v;
  }

  lazy(fn: () => Value, e?: Expr, frame?: Frame): Lazy {
    return { lazy: fn, run: this.run, depth: this.depth, e, frame };
  }

  /** The frame that owns a binding key, walking out from `frame`. */
  private ownerFrame(frame: Frame, key: string): Frame | undefined {
    const owner = this.facts.get(frame.mod)?.owner[key] ?? '';
    let fr: Frame | undefined = frame;
    while (fr && fr.fn !== owner) fr = fr.parent;
    return fr;
  }

  lookup(frame: Frame, key: string): Value {
    const fr = this.ownerFrame(frame, key);
    if (!fr) return UNKNOWN;
    const slot = fr.vars.get(key) ?? this.lookupSlot(fr, key);
    return slot === undefined ? UNDEF : this.force(slot);
  }

  /** A binding not set in its frame yet: hoisted declarations, imports, and initializers read before their statement ran. */
  private lookupSlot(fr: Frame, key: string): Slot | undefined {
    const f = this.facts.get(fr.mod) as RouteFacts;
    let slot: Slot;
    if (Object.hasOwn(f.funcDecls, key)) slot = { t: 'fn', mod: fr.mod, key: f.funcDecls[key], env: fr };
    else if (Object.hasOwn(f.classDecls, key)) slot = { t: 'class', mod: fr.mod, key: f.classDecls[key], env: fr };
    else if (fr.fn === '' && Object.hasOwn(f.imports, key)) {
      const imp = f.imports[key];
      slot = this.lazy(() => this.importValue(fr.mod, imp.from, imp.name));
    } else if (Object.hasOwn(f.inits, key)) {
      const init = f.inits[key];
      slot = this.lazy(() => this.ev(init, fr), init, fr);
    } else return undefined;
    fr.vars.set(key, slot);
    return slot;
  }

  private assignVar(frame: Frame, key: string, slot: Slot): void {
    (this.ownerFrame(frame, key) ?? frame).vars.set(key, slot);
  }

  /**
   * A binding's initializer or an assignment's value: deferred until read, unless it is a call that
   * hands a router over (`const users = usersRoutes(router)`): that one may register routes now.
   */
  private slotFor(e: Expr, frame: Frame): Slot {
    switch (e.k) {
      case 'lit':
        return typeof e.v === 'string' || typeof e.v === 'number' ? str(String(e.v)) : { t: 'lit', v: e.v };
      case 'fn':
        return { t: 'fn', mod: frame.mod, key: e.key, env: frame };
      case 'call':
      case 'new':
        if (this.handsRouter(e, frame)) return this.ev(e, frame);
        return this.lazy(() => this.ev(e, frame), e, frame);
      default:
        return this.lazy(() => this.ev(e, frame), e, frame);
    }
  }

  /** Whether a call's receiver or an argument is, without running any of the app's code, a router. */
  private handsRouter(e: Expr & { k: 'call' | 'new' }, frame: Frame): boolean {
    if (e.fn.k === 'mem' || e.fn.k === 'idx') {
      const recv = this.peek(e.fn.obj, frame);
      if (recv && carriesRouter(recv)) return true;
    }
    for (const a of e.args) {
      const v = this.peek(a, frame);
      if (v && (carriesRouter(v) || (v.t === 'fn' && this.registers(v)))) return true;
    }
    return false;
  }

  /** The value of an expression if it is known without running the app's own functions; else undefined. */
  private peek(e: Expr, frame: Frame, depth = 0): Value | undefined {
    if (depth > 6) return undefined;
    switch (e.k) {
      case 'var': {
        const fr = this.ownerFrame(frame, e.key);
        const slot = fr?.vars.get(e.key);
        if (slot === undefined) {
          const f = fr && this.facts.get(fr.mod);
          if (!f || !fr) return undefined;
          if (fr.fn === '' && Object.hasOwn(f.imports, e.key)) {
            const imp = f.imports[e.key];
            // a package import is free to evaluate; a module's export may run its top level
            return this.target(fr.mod, imp.from) === undefined ? this.lookup(fr, e.key) : undefined;
          }
          if (Object.hasOwn(f.inits, e.key)) return this.cheap(f.inits[e.key], fr, depth) ? this.lookup(fr, e.key) : undefined;
          return undefined;
        }
        if (!isLazy(slot)) return slot;
        if (slot.value) return slot.value;
        return slot.e && slot.frame && this.cheap(slot.e, slot.frame, depth) ? this.force(slot) : undefined;
      }
      case 'this':
        return frame.self;
      case 'mem': {
        const obj = this.peek(e.obj, frame, depth + 1);
        if (!obj || (obj.t !== 'inst' && obj.t !== 'obj')) return undefined;
        const slot = (obj.t === 'inst' ? obj.fields : obj.props).get(e.name);
        if (slot === undefined) return undefined;
        if (!isLazy(slot)) return slot;
        if (slot.value) return slot.value;
        return slot.e && slot.frame && this.cheap(slot.e, slot.frame, depth) ? this.force(slot) : undefined;
      }
      case 'fn':
        return { t: 'fn', mod: frame.mod, key: e.key, env: frame };
      case 'call':
      case 'new':
        return this.cheap(e, frame, depth) ? this.ev(e, frame) : undefined;
      default:
        return undefined;
    }
  }

  /** Evaluating `e` runs none of the app's functions: a package call (`Router()`, `express()`) or a name for one. */
  private cheap(e: Expr, frame: Frame, depth: number): boolean {
    if (e.k === 'call' || e.k === 'new') {
      const callee = e.fn.k === 'mem' || e.fn.k === 'idx' ? this.peek(e.fn.obj, frame, depth + 1) : this.peek(e.fn, frame, depth + 1);
      // a package's function makes a value (`Router()`, `express.Router()`); a router's own methods register
      return callee?.t === 'pkg';
    }
    return e.k === 'var' || e.k === 'mem' || e.k === 'lit';
  }

  /** Whether a function value (from a routing file) holds a call that may register a route. */
  private registers(fn: FnValue): boolean {
    const f = this.facts.get(fn.mod);
    return f?.routing === true && f.fns[fn.key]?.reg === true;
  }

  // ---- statements

  exec(body: readonly Stmt[], frame: Frame): void {
    const f = this.facts.get(frame.mod) as RouteFacts;
    for (const s of body) {
      if (this.budgetExceeded) return;
      switch (s.k) {
        case 'expr':
          // `Object.freeze(x);` alone changes nothing a route depends on
          if (!isPureGlobalCall(s.e)) this.ev(s.e, frame);
          break;
        case 'let':
          frame.vars.set(s.key, this.slotFor(f.inits[s.key], frame));
          break;
        case 'destr': {
          const source = this.slotFor(s.init, frame);
          this.destructure(s.pat, source, frame, (key, slot) => frame.vars.set(key, slot));
          break;
        }
        case 'ret':
          (frame.returns ??= []).push(this.ev(s.e, frame));
          break;
        case 'for':
          this.loop(s, frame);
          break;
      }
    }
  }

  private destructure(pat: PatternFact, source: Slot, frame: Frame, set: (key: string, slot: Slot) => void): void {
    for (const b of pat.binds) {
      set(
        b.key,
        this.lazy(() => {
          let v = this.force(source);
          for (const step of b.path) v = typeof step === 'number' ? this.index(v, step, b.rest === true && step === b.path[b.path.length - 1]) : this.member(v, step);
          if (v.t === 'undef' && b.def) v = this.ev(b.def, frame);
          if ((v.t === 'undef' || v.t === 'unknown') && b.hint) v = this.freshFor(b.hint);
          return v;
        }),
      );
    }
  }

  private index(v: Value, i: number, rest: boolean): Value {
    if (v.t === 'arr') return rest ? { t: 'arr', items: v.items.slice(i) } : (v.items[i] ?? (v.open ? UNKNOWN : UNDEF));
    return v.t === 'str' ? UNKNOWN : this.member(v, String(i));
  }

  private loop(s: Stmt & { k: 'for' }, frame: Frame): void {
    const iter = this.ev(s.iter, frame);
    let items: Value[];
    if (s.of) items = iter.t === 'arr' ? iter.items.slice(0, MAX_ITEMS) : [UNKNOWN];
    else if (iter.t === 'obj') items = [...iter.props.keys()].slice(0, MAX_ITEMS).map((k) => str(k));
    else if (iter.t === 'arr') items = iter.items.slice(0, MAX_ITEMS).map((_, i) => str(String(i)));
    else items = [UNKNOWN];
    if (iter.t === 'arr' && iter.open) items.push(UNKNOWN);
    for (const item of items) {
      if (s.key !== undefined) this.assignVar(frame, s.key, item);
      if (s.pat) this.destructure(s.pat, item, frame, (key, slot) => this.assignVar(frame, key, slot));
      this.exec(s.body, frame);
    }
  }

  // ---- expressions

  /**
   * The value of an expression. `site`: the call whose arguments are being evaluated; strings written
   * there remember it (a route registered deeper, in a wrapper, is reported where its path was written).
   */
  ev(e: Expr, frame: Frame, site?: Origin): Value {
    if (++this.steps > this.budget) {
      this.budgetExceeded = true;
      return UNKNOWN;
    }
    switch (e.k) {
      case 'lit':
        return typeof e.v === 'string' || typeof e.v === 'number' ? str(String(e.v), site) : { t: 'lit', v: e.v };
      case 'undef':
        return UNDEF;
      case 'var':
        return site ? this.handedAt(this.lookup(frame, e.key), site) : this.lookup(frame, e.key);
      case 'glob':
        return this.global(e.name, frame);
      case 'this':
        return frame.self ?? UNKNOWN;
      case 'super':
        return UNKNOWN;
      case 'mem': {
        const v = e.obj.k === 'super' ? this.superMember(frame, e.name) : this.member(this.ev(e.obj, frame, site), e.name);
        return site ? this.handedAt(v, site) : v;
      }
      case 'idx': {
        const obj = this.ev(e.obj, frame, site);
        const index = this.ev(e.index, frame, site);
        if (index.t === 'str' && index.alts.length === 1 && !index.alts[0].includes(DYNAMIC)) {
          const n = Number(index.alts[0]);
          return obj.t === 'arr' && Number.isInteger(n) ? this.index(obj, n, false) : this.member(obj, index.alts[0]);
        }
        return UNKNOWN;
      }
      case 'call':
        return this.call(e, frame);
      case 'new':
        return this.construct(this.ev(e.fn, frame), this.argSlots(e.args, frame, this.siteOf(frame, e.line)), this.siteOf(frame, e.line));
      case 'spread':
        return this.ev(e.e, frame, site);
      case 'obj':
        return this.object(e, frame, site);
      case 'arr': {
        const items: Value[] = [];
        let open = false;
        for (const it of e.items) {
          if (it.k === 'spread') {
            const v = this.ev(it.e, frame, site);
            if (v.t === 'arr') {
              items.push(...v.items);
              if (v.open) open = true;
            } else open = true;
          } else items.push(this.ev(it, frame, site));
        }
        return open ? { t: 'arr', items, open: true } : { t: 'arr', items };
      }
      case 'cat':
        return concat(e.parts.map((p) => this.ev(p, frame, site)));
      case 'or':
        return orElse(this.ev(e.a, frame, site), () => this.ev(e.b, frame, site));
      case 'alt':
        return either(this.ev(e.a, frame, site), this.ev(e.b, frame, site));
      case 'fn':
        return { t: 'fn', mod: frame.mod, key: e.key, env: frame };
      case 'class':
        return { t: 'class', mod: frame.mod, key: e.key, env: frame };
      case 'req':
      case 'imp':
        return this.moduleValue(frame.mod, e.spec);
      case 'set':
        this.assign(e.target, this.slotFor(e.v, frame), frame);
        return UNKNOWN;
      case 're':
        return str(DYNAMIC, site);
      case 'elided': {
        // read shallowly: read the file again, with everything, and evaluate what was left out
        const deep = this.deepFacts(frame.mod);
        if (!deep?.deep) return UNKNOWN;
        const init = e.key !== undefined ? deep.inits[e.key] : e.exp !== undefined ? deep.exports[e.exp]?.e : undefined;
        return init ? this.ev(init, frame, site) : UNKNOWN;
      }
      case 'dyn':
        return UNKNOWN;
    }
  }

  /** A constant handed to a call (`this.route({ path: PATH })`) was written there, as far as routes go. */
  private handedAt(v: Value, site: Origin): Value {
    return v.t === 'str' && !v.origin ? { ...v, origin: site } : v;
  }

  private siteOf(frame: Frame, line: number): Origin {
    return { mod: frame.mod, line, depth: this.depth };
  }

  private global(name: string, frame: Frame): Value {
    if (name === 'module') return this.state(frame.mod).moduleObj;
    if (name === 'exports') return this.force(this.state(frame.mod).moduleObj.props.get('exports') as Slot);
    if (name === 'Object' || name === 'Promise' || name === 'Array' || name === 'Reflect') return { t: 'pkg', spec: '#global', path: [name] };
    return UNKNOWN;
  }

  private object(e: Expr & { k: 'obj' }, frame: Frame, site: Origin | undefined): Value {
    const props = new Map<string, Slot>();
    const out: Value & { t: 'obj' } = { t: 'obj', props, where: new Map() };
    for (const p of e.props) {
      if ('spread' in p) {
        const v = this.ev(p.spread, frame, site);
        if (v.t === 'obj') {
          for (const [k, s] of v.props) props.set(k, s);
          if (v.where) for (const [k, w] of v.where) out.where?.set(k, w);
          if (v.open) out.open = true;
        } else if (v.t !== 'undef') out.open = true;
      } else if ('get' in p) {
        const getter: FnValue = { t: 'fn', mod: frame.mod, key: p.fn, env: frame, self: out };
        props.set(p.get, this.lazy(() => this.invoke(getter, out, [], site ?? this.siteOf(frame, p.line))));
        out.where?.set(p.get, { mod: frame.mod, line: p.line });
      } else {
        const v = p.v;
        props.set(p.name, v.k === 'lit' || v.k === 'fn' ? this.ev(v, frame, site) : this.lazy(() => this.ev(v, frame, site), v, frame));
        out.where?.set(p.name, { mod: frame.mod, line: p.line });
      }
    }
    return out;
  }

  member(v: Value, name: string): Value {
    switch (v.t) {
      case 'obj': {
        const s = v.props.get(name);
        return s === undefined ? (v.open ? UNKNOWN : UNDEF) : this.force(s);
      }
      case 'arr':
        return UNKNOWN;
      case 'inst':
        return this.instMember(v, v.cls, name);
      case 'class':
        return this.staticMember(v, name);
      case 'module':
        return this.exported(v.mod, name, 0);
      case 'pkg':
        return { t: 'pkg', spec: v.spec, path: [...v.path, name] };
      default:
        return UNKNOWN;
    }
  }

  private assign(target: Expr, slot: Slot, frame: Frame): void {
    if (target.k === 'var') return this.assignVar(frame, target.key, slot);
    if (target.k !== 'mem' && target.k !== 'idx') return;
    // `x.y = v` on a binding nobody needed yet: kept for when it is (reading x now could read its file again)
    const pending = target.obj.k === 'var' ? this.unforced(frame, target.obj.key) : undefined;
    if (target.k === 'mem') {
      if (pending) (pending.writes ??= []).push((obj) => this.setMember(obj, target.name, slot));
      else this.setMember(this.ev(target.obj, frame), target.name, slot);
      return;
    }
    // `table[i] = v`: only a known key into a known value can matter
    if (pending) return;
    const obj = this.ev(target.obj, frame);
    if (obj.t !== 'obj' && obj.t !== 'inst' && obj.t !== 'class' && obj.t !== 'arr') return;
    const i = this.ev(target.index, frame);
    if (i.t === 'str' && i.alts.length === 1) this.setMember(obj, i.alts[0], slot);
  }

  /** The binding's slot if it is still a deferred value (without computing it). */
  private unforced(frame: Frame, key: string): Lazy | undefined {
    const fr = this.ownerFrame(frame, key);
    if (!fr) return undefined;
    if (!fr.vars.has(key)) this.lookupSlot(fr, key);
    const slot = fr.vars.get(key);
    return slot !== undefined && isLazy(slot) && !slot.value && !slot.forcing ? slot : undefined;
  }

  private setMember(obj: Value, name: string, slot: Slot): void {
    if (obj.t === 'obj') obj.props.set(name, slot);
    else if (obj.t === 'inst') obj.fields.set(name, slot);
    else if (obj.t === 'class') (obj.statics ??= new Map()).set(name, slot);
    else if (obj.t === 'arr' && /^\d+$/.test(name)) obj.items[Number(name)] = this.force(slot);
  }

  argSlots(args: readonly Expr[], frame: Frame, site: Origin): Slot[] {
    const out: Slot[] = [];
    for (const a of args) {
      if (a.k === 'spread') {
        const v = this.ev(a.e, frame, site);
        if (v.t === 'arr') out.push(...v.items);
        else out.push(UNKNOWN);
      } else if (a.k === 'lit' || a.k === 'fn' || a.k === 'this') out.push(this.ev(a, frame, site));
      // a handler named in a route registration is never looked at: reading it could read its file again
      else out.push(this.lazy(() => this.ev(a, frame, site), a, frame));
    }
    return out;
  }

  // ---- calls

  private call(e: Expr & { k: 'call' }, frame: Frame): Value {
    const site = this.siteOf(frame, e.line);
    const fe = e.fn;
    if (fe.k === 'super') {
      this.superCall(frame, this.argSlots(e.args, frame, site), site);
      return UNDEF;
    }
    if (fe.k === 'mem' || fe.k === 'idx') {
      const recv = fe.obj.k === 'super' ? (frame.self ?? UNKNOWN) : this.ev(fe.obj, frame);
      let names: string[];
      if (fe.k === 'mem') names = [fe.name];
      else {
        const i = this.ev(fe.index, frame);
        names = i.t === 'str' ? i.alts.filter((a) => !a.includes(DYNAMIC)) : [];
      }
      const args = this.argSlots(e.args, frame, site);
      if (names.length === 0) return this.escape(args);
      if (fe.obj.k === 'super') return this.callValue(this.superMember(frame, names[0]), frame.self, args, site);
      let out: Value | undefined;
      for (const name of names) {
        const v = this.callMethod(recv, name, args, site);
        out = out === undefined ? v : either(out, v);
      }
      return out as Value;
    }
    return this.callValue(this.ev(fe, frame), undefined, this.argSlots(e.args, frame, site), site);
  }

  callValue(fn: Value, self: Value | undefined, args: Slot[], site: Origin): Value {
    switch (fn.t) {
      case 'fn':
        return this.invoke(fn, self, args, site);
      case 'pkg':
        return callPackage(this, fn, args, site) ?? this.escape(args);
      case 'unknown':
        return this.escape(args);
      default:
        return UNKNOWN;
    }
  }

  /** `recv.name(args)`. */
  private callMethod(recv: Value, name: string, args: Slot[], site: Origin): Value {
    switch (recv.t) {
      case 'router':
      case 'chain':
      case 'routes':
      case 'gql':
      case 'nest':
      case 'trpcProc':
        return routerMethod(this, recv, name, args, site) ?? UNKNOWN;
      case 'unknown':
        // a Nest app handed over untyped still configures where routes are served
        if (name === 'setGlobalPrefix' || name === 'enableVersioning') return routerMethod(this, { t: 'nest', root: UNKNOWN }, name, args, site) ?? UNKNOWN;
        return this.escape(args);
      case 'inst': {
        const fn = this.member(recv, name);
        // a method the app's class does not define: the package class it extends answers
        if ((fn.t === 'unknown' || fn.t === 'undef') && recv.base) return this.callMethod(recv.base, name, args, site);
        return fn.t === 'undef' ? this.escape(args) : this.callValue(fn, recv, args, site);
      }
      case 'arr':
        return this.arrayMethod(recv, name, args, site);
      case 'str':
        return this.stringMethod(recv, name, args);
      case 'fn':
        if (name === 'bind') {
          const self = args[0] === undefined ? undefined : this.force(args[0]);
          return { ...recv, self: self && self.t !== 'unknown' && self.t !== 'undef' ? self : recv.self, bound: [...(recv.bound ?? []), ...args.slice(1).map((a) => this.force(a))] };
        }
        if (name === 'call') return this.invoke(recv, args[0] === undefined ? undefined : this.force(args[0]), args.slice(1), site);
        if (name === 'apply') {
          const list = args[1] === undefined ? UNDEF : this.force(args[1]);
          return this.invoke(recv, args[0] === undefined ? undefined : this.force(args[0]), list.t === 'arr' ? list.items : [], site);
        }
        break;
      default:
        break;
    }
    if (name === 'then' && recv.t !== 'undef') {
      const cb = args[0] === undefined ? UNDEF : this.force(args[0]);
      return this.callValue(cb, undefined, [recv], site);
    }
    if (name === 'catch' || name === 'finally') return recv;
    if (recv.t === 'pkg') return callPackage(this, { ...recv, path: [...recv.path, name] }, args, site) ?? this.escape(args);
    const fn = this.member(recv, name);
    if (fn.t === 'undef') return this.escape(args);
    return this.callValue(fn, recv, args, site);
  }

  /** Arguments handed to code the analysis cannot see: callbacks that may register routes run anyway. */
  escape(args: Slot[]): Value {
    for (const a of args) {
      // a function written in place, or a name already known to be one (reading others could read their files again)
      const v = !isLazy(a) ? a : a.value ?? (a.e && a.frame && (a.e.k === 'var' || a.e.k === 'this') ? this.peek(a.e, a.frame) : undefined);
      if (v?.t === 'fn' && this.registers(v)) this.invoke(v, undefined, [], { mod: v.mod, line: 0, depth: this.depth });
    }
    return UNKNOWN;
  }

  private arrayMethod(arr: Value & { t: 'arr' }, name: string, args: Slot[], site: Origin): Value {
    const cb = args[0] === undefined ? UNDEF : this.force(args[0]);
    const items = arr.items.slice(0, MAX_ITEMS);
    switch (name) {
      case 'forEach':
      case 'map':
      case 'flatMap':
      case 'filter':
      case 'some':
      case 'every':
      case 'find': {
        const results = items.map((item, i) => this.callValue(cb, undefined, [item, str(String(i))], site));
        if (arr.open) this.callValue(cb, undefined, [UNKNOWN, UNKNOWN], site);
        if (name === 'map') return { t: 'arr', items: results, ...(arr.open ? { open: true as const } : {}) };
        if (name === 'flatMap') return { t: 'arr', items: results.flatMap((r) => (r.t === 'arr' ? r.items : [r])) };
        if (name === 'filter') return arr;
        if (name === 'find') return items.length > 0 ? items.reduce((a, b) => either(a, b)) : UNKNOWN;
        return UNKNOWN;
      }
      case 'push':
        arr.items.push(...args.map((a) => this.force(a)));
        return UNKNOWN;
      case 'concat':
        return { t: 'arr', items: [...arr.items, ...args.flatMap((a) => { const v = this.force(a); return v.t === 'arr' ? v.items : [v]; })] };
      case 'slice':
      case 'reverse':
      case 'sort':
        return arr;
      case 'join':
        return concat(items.flatMap((it, i) => (i === 0 ? [it] : [args[0] ? this.force(args[0]) : str(','), it])));
      default:
        return UNKNOWN;
    }
  }

  private stringMethod(s: Value & { t: 'str' }, name: string, args: Slot[]): Value {
    const map = (f: (x: string) => string): Value => ({ ...s, alts: s.alts.map((a) => (a.includes(DYNAMIC) ? a : f(a))) });
    switch (name) {
      case 'toLowerCase':
      case 'toLocaleLowerCase':
        return map((x) => x.toLowerCase());
      case 'toUpperCase':
      case 'toLocaleUpperCase':
        return map((x) => x.toUpperCase());
      case 'trim':
        return map((x) => x.trim());
      case 'concat':
        return concat([s, ...args.map((a) => this.force(a))]);
      case 'toString':
        return s;
      default:
        return UNKNOWN;
    }
  }

  /** Runs a function of the app with `this` and arguments. */
  invoke(fn: FnValue, self: Value | undefined, args: Slot[], site: Origin): Value {
    const f = this.deepFacts(fn.mod);
    const fact = f?.fns[fn.key];
    const id = `${fn.mod}#${fn.key}`;
    this.markInvoked(id);
    if (!fact?.body || this.budgetExceeded || this.depth >= MAX_DEPTH) return UNKNOWN;
    let seen = 0;
    for (const s of this.stack) if (s === id && ++seen >= 2) return UNKNOWN;
    const frame: Frame = {
      mod: fn.mod,
      fn: fn.key,
      vars: new Map(),
      parent: fn.env,
      self: fact.arrow ? fn.env.self : (fn.self ?? self),
      home: fact.arrow ? fn.env.home : fn.home,
    };
    const all = fn.bound ? [...fn.bound, ...args] : args;
    fact.params.forEach((p, i) => {
      let slot: Slot | undefined = p.rest ? { t: 'arr', items: all.slice(i).map((a) => this.force(a)) } : all[i];
      if (p.def || p.hint) {
        const given = slot;
        slot = this.lazy(() => {
          let v = given === undefined ? UNDEF : this.force(given);
          if (v.t === 'undef' && p.def) v = this.ev(p.def, frame);
          if ((v.t === 'undef' || v.t === 'unknown') && p.hint) v = this.freshFor(p.hint);
          return v;
        });
      }
      const value = slot ?? UNDEF;
      if (p.key !== undefined) frame.vars.set(p.key, value);
      if (p.pat) this.destructure(p.pat, value, frame, (key, s) => frame.vars.set(key, s));
      if (p.prop && frame.self?.t === 'inst') frame.self.fields.set(p.prop, value);
    });
    this.stack.push(id);
    this.depth++;
    this.exec(fact.body, frame);
    this.depth--;
    this.stack.pop();
    const rets = frame.returns;
    if (!rets || rets.length === 0) return UNDEF;
    return rets.reduce((a, b) => either(a, b));
  }

  private freshFor(hint: string): Value {
    if (hint === 'nest') return { t: 'nest', root: UNKNOWN };
    const fw: Framework = hint === 'koa' || hint === 'fastify' || hint === 'hono' ? hint : 'express';
    return { t: 'router', r: this.newRouter(fw, hint === 'koa' ? 'router' : 'app') };
  }

  private markInvoked(id: string): void {
    let runs = this.invoked.get(id);
    if (!runs) this.invoked.set(id, (runs = new Set()));
    runs.add(this.run);
  }

  // ---- classes

  construct(cls: Value, args: Slot[], site: Origin): Value {
    if (cls.t === 'pkg') return callPackage(this, cls, args, site) ?? this.escape(args);
    if (cls.t === 'fn') {
      const inst: Value = { t: 'inst', fields: new Map(), open: true };
      this.invoke(cls, inst, args, site);
      return inst;
    }
    if (cls.t !== 'class') {
      this.escape(args);
      return UNKNOWN;
    }
    const inst: Value & { t: 'inst' } = { t: 'inst', cls, fields: new Map() };
    this.runConstructor(cls, inst, args, site);
    return inst;
  }

  private classFacts(cls: ClassValue) {
    return this.deepFacts(cls.mod)?.classes[cls.key];
  }

  private parentOf(cls: ClassValue): Value {
    let parent = this.parents.get(cls);
    if (!parent) {
      const fact = this.classFacts(cls);
      parent = fact?.ext ? this.ev(fact.ext, cls.env) : UNDEF;
      this.parents.set(cls, parent);
    }
    return parent;
  }

  private runConstructor(cls: ClassValue, inst: Value & { t: 'inst' }, args: Slot[], site: Origin): void {
    // an instance of a subclass is one of its parents too
    this.markInvoked(`${cls.mod}#${cls.key}`);
    const fact = this.classFacts(cls);
    if (!fact || this.depth >= MAX_DEPTH) return;
    if (fact.elided) {
      inst.open = true;
      return;
    }
    const parent = this.parentOf(cls);
    if (parent.t !== 'class' && parent.t !== 'undef') inst.open = true;
    const ctor = fact.members.find((m) => m.kind === 'ctor');
    if (!ctor?.fn) {
      // the implicit constructor hands its arguments to the parent's
      if (parent.t === 'class') this.runConstructor(parent, inst, args, site);
      else if (parent.t === 'pkg') this.packageBase(parent, inst, args, site);
      this.initFields(cls, inst);
      return;
    }
    // with a parent, `super(...)` in the constructor builds it and then the fields; without, fields come first
    if (parent.t !== 'class' && !(parent.t === 'pkg' && this.callsSuper(ctor.fn, cls.mod))) this.initFields(cls, inst);
    this.invoke({ t: 'fn', mod: cls.mod, key: ctor.fn, env: cls.env, home: cls }, inst, args, site);
  }

  private callsSuper(fnKey: string, mod: string): boolean {
    const body = this.facts.get(mod)?.fns[fnKey]?.body ?? [];
    return body.some((s) => s.k === 'expr' && s.e.k === 'call' && s.e.fn.k === 'super');
  }

  /** `class Api extends Router`: the package's own instance stands behind the app's. */
  private packageBase(parent: Value & { t: 'pkg' }, inst: Value & { t: 'inst' }, args: Slot[], site: Origin): void {
    const base = callPackage(this, parent, args, site);
    if (base && base.t !== 'unknown') inst.base = base;
  }

  private superCall(frame: Frame, args: Slot[], site: Origin): void {
    const home = frame.home;
    const self = frame.self;
    if (!home || self?.t !== 'inst') return;
    const parent = this.parentOf(home);
    if (parent.t === 'class') this.runConstructor(parent, self, args, site);
    else if (parent.t === 'pkg') this.packageBase(parent, self, args, site);
    this.initFields(home, self);
  }

  private initFields(cls: ClassValue, inst: Value & { t: 'inst' }): void {
    const fact = this.classFacts(cls);
    if (!fact) return;
    // field initializers see the class's scope with `this` the new instance
    const frame: Frame = { ...cls.env, self: inst, home: cls, returns: undefined };
    for (const m of fact.members) if (m.kind === 'field' && !m.static && m.init) inst.fields.set(m.name, this.slotFor(m.init, frame));
  }

  /** A member of an instance: its fields, then methods and getters up its class chain. */
  private instMember(inst: Value & { t: 'inst' }, start: ClassValue | undefined, name: string): Value {
    const field = inst.fields.get(name);
    if (field !== undefined) return this.force(field);
    for (let cls = start, hops = 0; cls && hops < 16; hops++) {
      const fact = this.classFacts(cls);
      if (!fact || fact.elided) return UNKNOWN;
      const m = fact.members.find((x) => x.name === name && !x.static && x.kind !== 'ctor');
      if (m?.fn && m.kind === 'method') return { t: 'fn', mod: cls.mod, key: m.fn, env: cls.env, self: inst, home: cls };
      if (m?.fn && m.kind === 'get') return this.invoke({ t: 'fn', mod: cls.mod, key: m.fn, env: cls.env, home: cls }, inst, [], { mod: cls.mod, line: m.line, depth: this.depth });
      if (m) return UNDEF;
      const parent = this.parentOf(cls);
      if (parent.t !== 'class') return parent.t === 'undef' && !inst.open ? UNDEF : UNKNOWN;
      cls = parent;
    }
    return inst.open ? UNKNOWN : UNDEF;
  }

  private superMember(frame: Frame, name: string): Value {
    const home = frame.home;
    const self = frame.self;
    if (!home || self?.t !== 'inst') return UNKNOWN;
    const parent = this.parentOf(home);
    if (parent.t !== 'class') return UNKNOWN;
    // methods only: `super.x` skips the instance's own fields
    const probe: Value & { t: 'inst' } = { t: 'inst', cls: parent, fields: new Map(), open: self.open };
    const v = this.instMember(probe, parent, name);
    return v.t === 'fn' ? { ...v, self } : v;
  }

  private staticMember(cls: ClassValue, name: string): Value {
    const own = cls.statics?.get(name);
    if (own !== undefined) return this.force(own);
    const fact = this.classFacts(cls);
    if (!fact || fact.elided) return UNKNOWN;
    const m = fact.members.find((x) => x.name === name && x.static);
    if (!m) {
      const parent = this.parentOf(cls);
      return parent.t === 'class' ? this.staticMember(parent, name) : parent.t === 'undef' ? UNDEF : UNKNOWN;
    }
    if (m.fn && m.kind === 'method') return { t: 'fn', mod: cls.mod, key: m.fn, env: cls.env, self: cls, home: cls };
    if (m.fn && m.kind === 'get') return this.invoke({ t: 'fn', mod: cls.mod, key: m.fn, env: cls.env, home: cls }, cls, [], { mod: cls.mod, line: m.line, depth: this.depth });
    if (m.init) {
      const slot = this.slotFor(m.init, { ...cls.env, self: cls, home: cls, returns: undefined });
      (cls.statics ??= new Map()).set(name, slot);
      return this.force(slot);
    }
    return UNDEF;
  }

  // ---- Host: what the framework semantics need

  newRouter(fw: Framework, kind: 'app' | 'router'): RouterObj {
    const r: RouterObj = { id: this.routers.length, fw, kind, routes: [], mounts: [], prefix: '', graphql: [], trpc: [], run: this.run };
    this.routers.push(r);
    return r;
  }

  /** Registers a route: reported where its path was written if that was in an outer call (a wrapper's caller). */
  addRoute(r: RouterObj, method: string, path: Value, site: Origin): void {
    const where = path.t === 'str' && path.origin && path.origin.depth < site.depth ? path.origin : site;
    r.routes.push({ method, paths: pathsOf(path, (v) => this.force(v)), mod: where.mod, line: where.line, run: this.run });
  }

  /** `parent.use(prefix, child)` in any of its forms. */
  mount(parent: RouterObj, prefixes: string[], child: Value, depth = 0): void {
    if (depth > 4) return;
    switch (child.t) {
      case 'router':
        if (child.r !== parent) parent.mounts.push({ child: child.r, prefixes, run: this.run });
        return;
      case 'routes':
        if (child.r !== parent) parent.mounts.push({ child: child.r, prefixes, run: this.run });
        return;
      case 'mounted':
        return this.mount(
          parent,
          prefixes.map((p) => `${p}/${child.prefix}`),
          child.child,
          depth + 1,
        );
      case 'arr':
        for (const item of child.items) this.mount(parent, prefixes, item, depth + 1);
        return;
      case 'inst':
        if (child.base) this.mount(parent, prefixes, child.base, depth + 1);
        return;
      case 'gql':
        parent.graphql.push({ prefixes, run: this.run });
        return;
      case 'trpcHandler':
        parent.trpc.push({ handler: child, prefixes, run: this.run });
        return;
      default:
        return;
    }
  }
}

const PURE_GLOBALS = new Set(['freeze', 'keys', 'values', 'entries', 'from', 'isArray', 'resolve', 'seal']);

function isPureGlobalCall(e: Expr): boolean {
  return e.k === 'call' && e.fn.k === 'mem' && e.fn.obj.k === 'glob' && (e.fn.obj.name === 'Object' || e.fn.obj.name === 'Array' || e.fn.obj.name === 'Promise') && PURE_GLOBALS.has(e.fn.name);
}
