/** An aggregate's rules as three pure functions; no I/O, time and looked-up data arrive in the command. */
export type Decider<Command, Event, State> = {
  /** The events a command produces in a state; `[]` when it was already done, throws `RuleViolation` when refused. */
  decide: (command: Command, state: State) => Event[];
  /** The state after an event; events it does not know leave the state unchanged. */
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};
