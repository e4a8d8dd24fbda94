/** The leaderboard's charts and the predicted win matrix: titles, axes, tooltips and their text alternatives. */
export const charts = {
  heading: 'Charts',
  failed: 'The chart could not be loaded.',
  loadingHistory: 'Loading the rating history…',
  noHistory: 'No rating history for this view yet.',
  noPricing: 'No model in this view has pricing configured, so there is no price chart.',
  model: 'Model',
  rating: 'Rating',
  observed: {
    title: 'Observed win share',
    summary: 'Share of the battles the row model won against the column model (ties count half), written in each cell; a dash where they never met.',
  },
  battles: {
    title: 'Battles between models',
    summary: 'Counted votes between the row model and the column model, written in each cell.',
  },
  heatmap: {
    caption: '{title}: row model against column model',
    cell: '{row} against {col}: {value}',
    never: '{row} and {col} never met',
    noBattles: 'no battles',
  },
  intervals: {
    title: 'Ratings with 95% intervals',
    summary:
      "Each model's rating (diamond) and the range it lies in with 95% confidence (bar). Overlapping bars: the order between those models is not settled.",
    axis: '{method} rating',
    point: '{name}: {rating} (95% interval {lower} to {upper})',
    lower: 'Lower bound',
    upper: 'Upper bound',
  },
  history: {
    title: 'Rating over time',
    summary: "Each model's online Elo at the end of each day, one line and symbol per model, named at its last point.",
    axis: 'Online Elo',
    caption: 'Online Elo by day',
    day: 'Day',
    point: '{name}, {day}: {elo}',
  },
  front: {
    summary:
      '{better, select, lower {Lower is better: the best sit toward the upper left.} other {Higher is better: the best sit toward the upper right.}} Filled diamonds on the dashed line are the front: no other model is both rated higher and {betterWord}. Open circles are the others.',
    point: '{name}: rating {rating}, {x}{onFront, select, yes { (on the front)} other {}}',
    onFront: 'On the front',
    yes: 'yes',
    no: 'no',
    price: { title: 'Price against rating', axis: 'Cost per {count, number} answers', better: 'cheaper' },
    tokens: { title: 'Speed against rating', axis: 'Tokens per second', better: 'faster' },
    ttft: { title: 'First token against rating', axis: 'Time to first token', better: 'quicker to start answering' },
  },
  winMatrix: {
    caption: 'Predicted chance that the row model beats the column model (Bradley-Terry); votes between them in the tooltip.',
    votes: '{count, plural, one {# vote} other {# votes}} between them',
  },
} as const;
