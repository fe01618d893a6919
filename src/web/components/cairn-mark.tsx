/** Cairn's mark: a small stack of stones. */
export function CairnMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#0c8599" />
      <ellipse cx="16" cy="25" rx="10" ry="3.5" fill="#e6fcf5" />
      <ellipse cx="16" cy="18" rx="7.5" ry="3" fill="#c3fae8" />
      <ellipse cx="16" cy="12" rx="5" ry="2.6" fill="#96f2d7" />
      <ellipse cx="16" cy="7" rx="3" ry="2" fill="#63e6be" />
    </svg>
  );
}
