// The least-privilege roles of wg-siem in Elasticsearch, as data: one for `wg-siem run` (write its data streams and
// alert indices, read back events and peer state for the cross-host diagnosis, keep its correlation state) and one
// for `wg-siem setup` (templates, the ILM policy, the diagnoses index, and the throw-away indices that probe which
// field types and index modes the server has). `wg-siem setup --print-role` prints them for a cluster admin; the secured local stack creates them.

export interface IndexPrivileges {
  readonly names: readonly string[];
  readonly privileges: readonly string[];
}

export interface RoleDescriptor {
  readonly cluster: readonly string[];
  readonly indices: readonly IndexPrivileges[];
}

export const WG_SIEM_ROLES: Readonly<Record<'wg-siem-writer' | 'wg-siem-setup', RoleDescriptor>> = {
  'wg-siem-writer': {
    cluster: [],
    indices: [
      // Events, unparsed lines, dead letters and peer state: append-only data streams, created on first write.
      { names: ['logs-wireguard.log-*', 'logs-wireguard.unparsed-*', 'logs-wireguard.dead_letter-*', 'logs-wireguard.peer-*'], privileges: ['create_doc', 'auto_configure'] },
      // The diagnosis reads both ends' events and the collector's peer state. (Not the diagnoses index: run takes
      // causes and checks from its own catalog.)
      { names: ['logs-wireguard.log-*', 'logs-wireguard.peer-*'], privileges: ['read'] },
      // Alerts are updated in place through their lifecycle (index with an external version).
      { names: ['logs-wireguard.alert-*'], privileges: ['index', 'auto_configure', 'read'] },
      // Correlation state, saved per partition so that a restart neither forgets nor repeats alerts.
      { names: ['wg-siem-state-*'], privileges: ['create_index', 'index', 'read', 'view_index_metadata'] },
    ],
  },
  'wg-siem-setup': {
    cluster: ['monitor', 'manage_index_templates', 'manage_ilm'],
    indices: [
      // Throw-away indices that probe field types and index modes (their effective settings are read back).
      { names: ['wg-siem-probe-*'], privileges: ['create_index', 'delete_index', 'view_index_metadata'] },
      // The diagnoses index: created (or re-created when its mode must change) and filled from the catalog.
      { names: ['wireguard-diagnoses'], privileges: ['create_index', 'delete_index', 'write', 'read', 'view_index_metadata'] },
    ],
  },
};
