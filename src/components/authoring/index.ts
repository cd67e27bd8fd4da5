/**
 * The components an author uses in a problem's MDX. Problem pages pass this map to the MDX
 * content, so authors write <Answer of="macs" /> without importing anything.
 */
import { locatedComponents } from '../../site/component-at.ts';
import Answer from './Answer.astro';
import Choice from './Choice.astro';
import Errata from './Errata.astro';
import FigureTable from './FigureTable.astro';
import GemmTable from './GemmTable.astro';
import Given from './Given.astro';
import Network from './Network.astro';
import Question from './Question.astro';
import Value from './Value.astro';

// Each told its element's place (site/mdx-locate.ts), so what it throws is named at its line.
export const authoringComponents = locatedComponents({ Answer, Choice, Errata, FigureTable, GemmTable, Given, Network, Question, Value });

import ContextMemoryChart from './ContextMemoryChart.astro';
import DecodeBatchChart from './DecodeBatchChart.astro';
import Example from './Example.astro';
import LayerFormulas from './LayerFormulas.astro';
import LlmCalculators from './LlmCalculators.astro';

/** The components a chapter's MDX can use (chapters have no problem context). */
// Wrapped as a problem's are: their element's workbookAt is taken off their props (the charts'
// props are checked strictly) and put on what they throw.
export const chapterComponents = locatedComponents({ ContextMemoryChart, DecodeBatchChart, Example, LayerFormulas, LlmCalculators });
