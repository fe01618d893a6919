import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { ApiError, describeError } from '../api/client.js';

/** Field problems of a form's failed request, keyed by field name (see ApiError.fieldErrors). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return error instanceof ApiError ? error.fieldErrors : {};
}

/**
 * The error of a form as a whole, unless every problem in it is already shown next to one of the
 * form's `fields`.
 */
export function FormError({ error, fields }: { error: unknown; fields: string[] }) {
  if (!error) return null;
  const errors = fieldErrorsOf(error);
  const shownAtFields =
    error instanceof ApiError &&
    error.details.length > 0 &&
    Object.keys(errors).length > 0 &&
    Object.keys(errors).every((f) => fields.includes(f)) &&
    error.details.every((d) => fields.some((f) => d.path.endsWith(`/${f}`) || d.path.includes(`/${f}/`)));
  if (shownAtFields) return null;
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} role="alert">
      {describeError(error)}
    </Alert>
  );
}
