/* global document, window, localStorage, fetch, echarts, Option, URLSearchParams */
import { createApi } from './api.js';
import { charts } from './charts/index.js';
import { apiQuery, initialFilters } from './filters.js';

const keyStorage = 'l2o.dashboard.apiKey';
const byId = (id) => document.getElementById(id);
const keyForm = byId('key-form');
const filterForm = byId('filters');
const main = byId('charts');
const status = byId('status');
const forgetKey = byId('forget-key');

let filters = initialFilters(window.location.search);
let refreshSeconds = 5;
let timer;
let refreshing = false;
let refreshes = 0;
let cards = [];

const api = createApi({ getKey: () => localStorage.getItem(keyStorage), onUnauthorized: askForKey });

function askForKey(reason) {
  localStorage.removeItem(keyStorage);
  window.clearInterval(timer);
  filterForm.hidden = true;
  main.hidden = true;
  forgetKey.hidden = true;
  keyForm.hidden = false;
  status.textContent = reason ?? '';
  byId('api-key').focus();
}

/** One card per chart module: a heading, the ECharts canvas and a data table with the same numbers. */
function mountCards() {
  for (const card of cards) card.chart.dispose();
  cards = charts.map((module) => {
    const element = document.createElement('section');
    element.className = 'chart-card';
    element.dataset.chart = module.id;
    element.dataset.state = 'loading';
    const heading = document.createElement('h2');
    heading.textContent = module.title;
    const canvas = document.createElement('div');
    canvas.className = 'chart-canvas';
    const error = document.createElement('p');
    error.className = 'chart-error';
    error.hidden = true;
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Data';
    const table = document.createElement('table');
    table.className = 'chart-data';
    details.append(summary, table);
    element.append(heading, canvas, error, details);
    main.append(element);
    return { module, element, error, table, chart: echarts.init(canvas) };
  });
}

async function updateCard(card) {
  try {
    const data = await card.module.load({ api, filters, query: apiQuery(filters) });
    card.module.render({ chart: card.chart, table: card.table }, data, { filters });
    card.error.hidden = true;
    card.element.dataset.state = 'ready';
  } catch (error) {
    card.error.textContent = `Could not load: ${error.message}`;
    card.error.hidden = false;
    card.element.dataset.state = 'error';
  }
}

/** The teams (pools) with leads in the period, as options of the team filter. */
async function loadTeams() {
  const counts = await api.get('/v1/reports/lead-counts', { ...apiQuery({ ...filters, team: '' }), groupBy: 'poolId' });
  const select = filterForm.elements.team;
  const teams = counts.groups.map((group) => group.key.poolId).filter((team) => team !== null);
  if (filters.team !== '' && !teams.includes(filters.team)) teams.push(filters.team);
  const options = teams.sort().map((team) => new Option(team, team, false, team === filters.team));
  select.replaceChildren(new Option('All teams', '', false, filters.team === ''), ...options);
}

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    await loadTeams();
    await Promise.all(cards.map(updateCard));
    refreshes += 1;
    document.body.dataset.refreshes = String(refreshes);
    status.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${refreshSeconds} s`;
  } catch (error) {
    status.textContent = `Could not refresh: ${error.message}`;
  } finally {
    refreshing = false;
  }
}

function open() {
  keyForm.hidden = true;
  filterForm.hidden = false;
  main.hidden = false;
  forgetKey.hidden = false;
  for (const name of ['from', 'to', 'channel']) filterForm.elements[name].value = filters[name];
  mountCards();
  void refresh();
  window.clearInterval(timer);
  timer = window.setInterval(() => {
    if (document.visibilityState === 'visible') void refresh();
  }, refreshSeconds * 1000);
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  localStorage.setItem(keyStorage, byId('api-key').value.trim());
  byId('api-key').value = '';
  status.textContent = '';
  open();
});

forgetKey.addEventListener('click', () => askForKey('Enter another API key.'));

filterForm.addEventListener('change', () => {
  const form = filterForm.elements;
  filters = { from: form.from.value, to: form.to.value, channel: form.channel.value, team: form.team.value };
  if (filters.from === '' || filters.to === '' || filters.from > filters.to) return;
  window.history.replaceState(null, '', `?${new URLSearchParams(filters)}`);
  void refresh();
});

window.addEventListener('resize', () => {
  for (const card of cards) card.chart.resize();
});

const config = await fetch('/dashboard/config.json').then((response) => response.json());
refreshSeconds = config.refreshSeconds;
filterForm.elements.channel.append(...config.channels.map((channel) => new Option(channel, channel)));
if (localStorage.getItem(keyStorage)) open();
else askForKey();
