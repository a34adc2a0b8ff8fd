/**
 * The generator checks its own work: the shadows it emits are preprocessed,
 * parsed and laid out for the native ABI by ioctl-lens's own front end (in
 * the context of the analysed unit, so `ULONG`, the user's types and macros
 * such as `POINTER_32` mean what they mean there), and compared with the
 * native type's 32-bit layout. Editors get a verified answer without a
 * compiler; the tests prove the same with clang.
 *
 * A mismatch is a `self-check` warning (for instance `--style pointer32`
 * under mingw-w64, whose `POINTER_32` is empty).
 */

import type { AbiUnit } from '../analyze';
import type { TranslationUnit } from '../ast';
import { createLayoutContext } from '../layout';
import { parse } from '../parser';
import { preprocess } from '../preprocess';
import { compareShadow, shadowDifferences } from '../compare';
import type { RecordPlan, ThunkWarning } from './plan';
import { preludeFor } from './plan';

const generatedPath = '<ioctl-lens thunk>';

/** The unit's declarations over the prelude's, as one fallback for parsing generated text. */
function mergedFallback(native: AbiUnit): TranslationUnit {
  const prelude = preludeFor(native).unit;
  const u = native.unit;
  return {
    records: [...prelude.records, ...u.records],
    enums: [...prelude.enums, ...u.enums],
    typedefs: new Map([...prelude.typedefs, ...u.typedefs]),
    tags: new Map([...prelude.tags, ...u.tags]),
    enumConstants: new Map([...prelude.enumConstants, ...u.enumConstants]),
    functions: [],
    variables: [],
    staticAsserts: [],
  };
}

export interface SelfCheck {
  /** Shadow name -> verified (its native-ABI layout equals the native type's peer layout). */
  verified: Map<string, boolean>;
  warnings: ThunkWarning[];
}

export function selfCheck(plans: RecordPlan[], texts: string[], peer: AbiUnit, native: AbiUnit): SelfCheck {
  const verified = new Map<string, boolean>();
  const warnings: ThunkWarning[] = [];
  if (plans.length === 0) return { verified, warnings };
  const text = texts.join('\n');
  const macros = new Map([...preludeFor(native).macros, ...native.pp.macros]);
  const pp = preprocess(generatedPath, {
    host: { readFile: (p) => (p === generatedPath ? { path: generatedPath, text } : undefined) },
    predefined: native.abi.macros,
    fallbackMacros: macros,
  });
  const { unit } = parse(pp.tokens, { fallback: mergedFallback(native) });
  const layout = createLayoutContext(native.abi, unit);
  for (const plan of plans) {
    const record = unit.tags.get(plan.shadow.tag);
    if (!record || !('fields' in record) || !record.fields) {
      verified.set(plan.shadow.name, false);
      warnings.push({ code: 'self-check', type: plan.nativeName, message: `could not re-read the generated ${plan.shadow.name} to check it` });
      continue;
    }
    // Nested shadows are checked on their own (and well-known ones omit union alternatives).
    const check = compareShadow({ layout: peer.layout, record: plan.peer }, { layout, record }, { nested: false });
    verified.set(plan.shadow.name, check.same);
    if (!check.same) {
      warnings.push({
        code: 'self-check',
        type: plan.nativeName,
        message: `the generated ${plan.shadow.name} does not have ${plan.nativeName}'s ${peer.abi.name} layout when compiled for ${native.abi.name} here: ${shadowDifferences(check).join('; ')}`,
        loc: plan.native.loc,
      });
    }
  }
  return { verified, warnings };
}
