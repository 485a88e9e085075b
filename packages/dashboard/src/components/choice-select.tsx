import type { SelectHTMLAttributes } from 'react';

/** A `<select>` among `choices`, each an option with its label; `onChoose` hears the chosen value. */
export function ChoiceSelect<V extends string>({
  value,
  choices,
  onChoose,
  ...attributes
}: {
  value: V;
  choices: readonly { value: V; label: string }[];
  onChoose(value: V): void;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>) {
  return (
    <select {...attributes} value={value} onChange={(e) => onChoose(e.target.value as V)}>
      {choices.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </select>
  );
}
