// The whole catalog: every implementation's messages and every diagnosis, checked once at load.
import { BORINGTUN_DIAGNOSES } from './diagnoses/boringtun.ts';
import { COMMON_DIAGNOSES } from './diagnoses/common.ts';
import { KERNEL_DIAGNOSES } from './diagnoses/linux-kernel.ts';
import { WINDOWS_DIAGNOSES } from './diagnoses/windows.ts';
import { WIREGUARD_GO_DIAGNOSES } from './diagnoses/wireguard-go.ts';
import { BORINGTUN_MESSAGES } from './messages/boringtun.ts';
import { KERNEL_MESSAGES } from './messages/linux-kernel.ts';
import { WINDOWS_MESSAGES } from './messages/windows.ts';
import { WIREGUARD_GO_MESSAGES } from './messages/wireguard-go.ts';
import type { DiagnosisDef, MessageDef } from './types.ts';

export const CATALOG: readonly MessageDef[] = [...KERNEL_MESSAGES, ...WIREGUARD_GO_MESSAGES, ...WINDOWS_MESSAGES, ...BORINGTUN_MESSAGES];

export const DIAGNOSIS_LIST: readonly DiagnosisDef[] = [...COMMON_DIAGNOSES, ...KERNEL_DIAGNOSES, ...WIREGUARD_GO_DIAGNOSES, ...WINDOWS_DIAGNOSES, ...BORINGTUN_DIAGNOSES];

export const DIAGNOSES: ReadonlyMap<string, DiagnosisDef> = new Map(DIAGNOSIS_LIST.map((d) => [d.id, d]));

export function diagnosis(id: string): DiagnosisDef | undefined {
  return DIAGNOSES.get(id);
}
