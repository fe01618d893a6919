import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Schemas used by many modules. Module-specific schemas live in `<module>.schema.ts`. */
export const Uuid = Type.String({ format: 'uuid' });
export const IsoDate = Type.String({ format: 'date', description: 'Calendar date, YYYY-MM-DD' });
export const IsoDateTime = Type.String({ format: 'date-time' });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
      requestId: Type.Optional(Type.String()),
    }),
  },
  { $id: 'ErrorBody', description: 'Every error the API returns' },
);
export type ErrorBodyType = Static<typeof ErrorBody>;

/** `T` or `null` (a column that may be empty). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const IdParams = Type.Object({ id: Uuid });

export const Ok = Type.Object({ ok: Type.Literal(true) });

/** The body of an action that takes no input: `{}` (an empty POST is read as `{}`). */
export const NoBody = Type.Object({}, { additionalProperties: false, description: 'No input' });

/** A page of items with an opaque cursor for the next page. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}
