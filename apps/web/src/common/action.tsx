import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api';
import { Failure } from './ui';

/**
 * A button for one admin action on the API: asks for confirmation first when `confirm` is given (for what cannot be
 * undone), shows the API's refusal as it was worded, and refreshes every view afterwards.
 */
export function ActionButton({ label, method, path, body, confirm }: { label: string; method: string; path: string; body?: unknown; confirm?: string }) {
  const queries = useQueryClient();
  const action = useMutation({ mutationFn: () => api(method, path, body), onSettled: () => queries.invalidateQueries() });
  const run = () => {
    if (confirm && !window.confirm(confirm)) return;
    action.mutate();
  };
  return (
    <span className="action">
      <button type="button" onClick={run} disabled={action.isPending}>{label}</button>
      {action.error && <Failure error={action.error} />}
    </span>
  );
}
