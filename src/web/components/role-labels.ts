import type { SessionInfo } from '../api/types.js';

const ROLE_LABELS: Record<string, string> = { admin: 'Admin', hr: 'HR', executive: 'Executive' };

/** The roles a person holds, in words: account roles plus "Manager" when someone reports to them. */
export function roleLabels(account: SessionInfo['account']): string[] {
  const labels = account.roles.map((r) => ROLE_LABELS[r] ?? r);
  if (account.isManager) labels.push('Manager');
  if (labels.length === 0 && account.personId) labels.push('Employee');
  return labels;
}
