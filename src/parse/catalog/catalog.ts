// The whole catalog: every implementation's messages and every diagnosis, checked once at load.
import { APP_DIAGNOSES } from './diagnoses/apps.ts';
import { BORINGTUN_DIAGNOSES } from './diagnoses/boringtun.ts';
import { COMMON_DIAGNOSES } from './diagnoses/common.ts';
import { EMBEDDER_DIAGNOSES } from './diagnoses/embedders.ts';
import { KERNEL_DIAGNOSES } from './diagnoses/linux-kernel.ts';
import { PLATFORM_DIAGNOSES } from './diagnoses/platforms.ts';
import { RUST_EMBEDDER_DIAGNOSES } from './diagnoses/rust-embedders.ts';
import { WINDOWS_DIAGNOSES } from './diagnoses/windows.ts';
import { WIREGUARD_GO_DIAGNOSES } from './diagnoses/wireguard-go.ts';
import { APP_MESSAGES } from './messages/apps.ts';
import { BORINGTUN_MESSAGES } from './messages/boringtun.ts';
import { EMBEDDER_MESSAGES } from './messages/embedders.ts';
import { LEGACY_FORK_MESSAGES } from './messages/legacy-forks.ts';
import { RUST_EMBEDDER_MESSAGES } from './messages/rust-embedders.ts';
import { KERNEL_MESSAGES } from './messages/linux-kernel.ts';
import { PLATFORM_MESSAGES } from './messages/platforms.ts';
import { WINDOWS_MESSAGES } from './messages/windows.ts';
import { WIREGUARD_GO_MESSAGES } from './messages/wireguard-go.ts';
import type { DiagnosisDef, MessageDef } from './types.ts';

export const CATALOG: readonly MessageDef[] = [...KERNEL_MESSAGES, ...WIREGUARD_GO_MESSAGES, ...WINDOWS_MESSAGES, ...BORINGTUN_MESSAGES, ...APP_MESSAGES, ...LEGACY_FORK_MESSAGES, ...EMBEDDER_MESSAGES, ...RUST_EMBEDDER_MESSAGES, ...PLATFORM_MESSAGES];

export const DIAGNOSIS_LIST: readonly DiagnosisDef[] = [...COMMON_DIAGNOSES, ...KERNEL_DIAGNOSES, ...WIREGUARD_GO_DIAGNOSES, ...WINDOWS_DIAGNOSES, ...BORINGTUN_DIAGNOSES, ...APP_DIAGNOSES, ...EMBEDDER_DIAGNOSES, ...RUST_EMBEDDER_DIAGNOSES, ...PLATFORM_DIAGNOSES];

export const DIAGNOSES: ReadonlyMap<string, DiagnosisDef> = new Map(DIAGNOSIS_LIST.map((d) => [d.id, d]));

export function diagnosis(id: string): DiagnosisDef | undefined {
  return DIAGNOSES.get(id);
}
