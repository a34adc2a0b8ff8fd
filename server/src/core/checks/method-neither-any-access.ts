/**
 * method-neither-any-access: `METHOD_NEITHER` with `FILE_ANY_ACCESS`. With
 * METHOD_NEITHER the I/O manager passes the caller's raw user-mode pointers
 * (`Type3InputBuffer`, `UserBuffer`); with FILE_ANY_ACCESS any process that
 * can open a handle, even without read or write access, can send them. Every
 * probe mistake becomes reachable by the least privileged caller.
 *
 *     // bad
 *     #define IOCTL_MAP CTL_CODE(0x8000, 0x804, METHOD_NEITHER, FILE_ANY_ACCESS)
 *     // good: require access (or use METHOD_BUFFERED)
 *     #define IOCTL_MAP CTL_CODE(0x8000, 0x804, METHOD_NEITHER, FILE_READ_ACCESS | FILE_WRITE_ACCESS)
 *
 * `FILE_SPECIAL_ACCESS` (the same value) says the driver checks access itself,
 * and is not reported; nor is a code whose every dispatch case does its work
 * only for kernel-mode callers (`if (Irp->RequestorMode != KernelMode)
 * return ...;` first, or internal device control): a file system's
 * requests to itself.
 */

import { userLoc } from '../token';
import { type Fix, nameEnd, ownIoctls, workspaceCheck } from './context';

export const methodNeitherAnyAccess = workspaceCheck('method-neither-any-access', (facts, report) => {
  for (const d of ownIoctls(facts)) {
    if (d.code.method !== 3 || d.code.access !== 0 || d.accessSpelling === 'FILE_SPECIAL_ACCESS' || facts.kernelOnly?.has(d.name)) continue;
    const fixes: Fix[] = [];
    const any = d.body.find((t) => t.text === 'FILE_ANY_ACCESS' && !t.expansion);
    if (any) {
      const start = userLoc(any);
      fixes.push({
        title: 'Require FILE_READ_ACCESS | FILE_WRITE_ACCESS',
        edits: [{ file: start.file, start, end: nameEnd(start, any.text), newText: 'FILE_READ_ACCESS | FILE_WRITE_ACCESS' }],
      });
    }
    report({
      symbol: d.name,
      args: { ioctl: d.name },
      loc: d.loc,
      end: nameEnd(d.loc, d.name),
      related: any ? [{ loc: userLoc(any), message: 'the access is given here' }] : [],
      fixes,
    });
  }
});
