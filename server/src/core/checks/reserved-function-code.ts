/**
 * reserved-function-code: an IOCTL whose function code is below 0x800.
 * Function codes 0x000-0x7FF are reserved for Microsoft; a vendor code there
 * can collide with a system IOCTL sent to the same device stack (filters,
 * class drivers).
 *
 *     // bad
 *     #define IOCTL_FOO_RESET CTL_CODE(FILE_DEVICE_UNKNOWN, 0x001, METHOD_BUFFERED, FILE_WRITE_ACCESS)
 *     // good
 *     #define IOCTL_FOO_RESET CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)
 */

import { describeIoctl, hex } from '../ioctl';
import { nameEnd, ownIoctls, workspaceCheck } from './context';

export const reservedFunctionCode = workspaceCheck('reserved-function-code', (facts, report) => {
  for (const d of ownIoctls(facts)) {
    if (d.code.function >= 0x800) continue;
    report({
      symbol: d.name,
      args: { ioctl: d.name, function: hex(d.code.function, 3) },
      loc: d.loc,
      end: nameEnd(d.loc, d.name),
      related: [{ loc: d.loc, message: describeIoctl(d.code) }],
    });
  }
});
