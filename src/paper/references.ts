/**
 * The methods tra computes, as BibTeX: the bibliographic facts (venue, volume, pages, year) checked against the
 * publishers' pages and reference lists of later papers (docs/PAPER.md says how). `tra paper` writes the entries its
 * methods section cites and nothing else.
 */

export interface Reference {
  /** Author-year form for Markdown, e.g. "Standley et al., 2020". */
  short: string;
  type: 'inproceedings' | 'article';
  fields: Record<string, string>;
}

export const BIBLIOGRAPHY = {
  standley2020: {
    short: 'Standley et al., 2020',
    type: 'inproceedings',
    fields: {
      author:
        'Standley, Trevor and Zamir, Amir R. and Chen, Dawn and Guibas, Leonidas and Malik, Jitendra and Savarese, Silvio',
      title: 'Which Tasks Should Be Learned Together in Multi-task Learning?',
      booktitle: 'Proceedings of the 37th International Conference on Machine Learning (ICML)',
      series: 'Proceedings of Machine Learning Research',
      volume: '119',
      pages: '9120--9132',
      publisher: 'PMLR',
      year: '2020',
    },
  },
  fifty2021: {
    short: 'Fifty et al., 2021',
    type: 'inproceedings',
    fields: {
      author: 'Fifty, Christopher and Amid, Ehsan and Zhao, Zhe and Yu, Tianhe and Anil, Rohan and Finn, Chelsea',
      title: 'Efficiently Identifying Task Groupings for Multi-Task Learning',
      booktitle: 'Advances in Neural Information Processing Systems',
      volume: '34',
      pages: '27503--27516',
      year: '2021',
    },
  },
  zamir2018: {
    short: 'Zamir et al., 2018',
    type: 'inproceedings',
    fields: {
      author:
        'Zamir, Amir R. and Sax, Alexander and Shen, William and Guibas, Leonidas J. and Malik, Jitendra and Savarese, Silvio',
      title: 'Taskonomy: Disentangling Task Transfer Learning',
      booktitle: 'Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)',
      pages: '3712--3722',
      year: '2018',
    },
  },
  evgeniou2004: {
    short: 'Evgeniou and Pontil, 2004',
    type: 'inproceedings',
    fields: {
      author: 'Evgeniou, Theodoros and Pontil, Massimiliano',
      title: 'Regularized Multi-Task Learning',
      booktitle: 'Proceedings of the Tenth ACM SIGKDD International Conference on Knowledge Discovery and Data Mining',
      pages: '109--117',
      year: '2004',
      doi: '10.1145/1014052.1014067',
    },
  },
  jacob2008: {
    short: 'Jacob et al., 2008',
    type: 'inproceedings',
    fields: {
      author: 'Jacob, Laurent and Bach, Francis and Vert, Jean-Philippe',
      title: 'Clustered Multi-Task Learning: A Convex Formulation',
      booktitle: 'Advances in Neural Information Processing Systems 21 (NIPS 2008)',
      pages: '745--752',
      year: '2008',
      note: 'Proceedings published 2009',
    },
  },
  benjamini1995: {
    short: 'Benjamini and Hochberg, 1995',
    type: 'article',
    fields: {
      author: 'Benjamini, Yoav and Hochberg, Yosef',
      title: 'Controlling the False Discovery Rate: A Practical and Powerful Approach to Multiple Testing',
      journal: 'Journal of the Royal Statistical Society: Series B (Methodological)',
      volume: '57',
      number: '1',
      pages: '289--300',
      year: '1995',
    },
  },
  spearman1910: {
    short: 'Spearman, 1910',
    type: 'article',
    fields: {
      author: 'Spearman, Charles',
      title: 'Correlation Calculated from Faulty Data',
      journal: 'British Journal of Psychology',
      volume: '3',
      number: '3',
      pages: '271--295',
      year: '1910',
    },
  },
  brown1910: {
    short: 'Brown, 1910',
    type: 'article',
    fields: {
      author: 'Brown, William',
      title: 'Some Experimental Results in the Correlation of Mental Abilities',
      journal: 'British Journal of Psychology',
      volume: '3',
      number: '3',
      pages: '296--322',
      year: '1910',
    },
  },
  blondel2008: {
    short: 'Blondel et al., 2008',
    type: 'article',
    fields: {
      author: 'Blondel, Vincent D. and Guillaume, Jean-Loup and Lambiotte, Renaud and Lefebvre, Etienne',
      title: 'Fast Unfolding of Communities in Large Networks',
      journal: 'Journal of Statistical Mechanics: Theory and Experiment',
      volume: '2008',
      number: '10',
      pages: 'P10008',
      year: '2008',
    },
  },
  huangfu2018: {
    short: 'Huangfu and Hall, 2018',
    type: 'article',
    fields: {
      author: 'Huangfu, Qi and Hall, J. A. Julian',
      title: 'Parallelizing the Dual Revised Simplex Method',
      journal: 'Mathematical Programming Computation',
      volume: '10',
      number: '1',
      pages: '119--142',
      year: '2018',
    },
  },
  yu2020: {
    short: 'Yu et al., 2020',
    type: 'inproceedings',
    fields: {
      author:
        'Yu, Tianhe and Kumar, Saurabh and Gupta, Abhishek and Levine, Sergey and Hausman, Karol and Finn, Chelsea',
      title: 'Gradient Surgery for Multi-Task Learning',
      booktitle: 'Advances in Neural Information Processing Systems',
      volume: '33',
      pages: '5824--5836',
      year: '2020',
    },
  },
  li2024: {
    short: 'Li et al., 2024',
    type: 'inproceedings',
    fields: {
      author: 'Li, Dongyue and Sharma, Aneesh and Zhang, Hongyang R.',
      title: 'Scalable Multitask Learning Using Gradient-based Estimation of Task Affinity',
      booktitle: 'Proceedings of the 30th ACM SIGKDD Conference on Knowledge Discovery and Data Mining',
      year: '2024',
    },
  },
  li2023: {
    short: 'Li et al., 2023',
    type: 'article',
    fields: {
      author: 'Li, Dongyue and Nguyen, Huy L. and Zhang, Hongyang R.',
      title: 'Identification of Negative Transfers in Multitask Learning Using Surrogate Models',
      journal: 'Transactions on Machine Learning Research',
      year: '2023',
    },
  },
  alonso2017: {
    short: 'Alonso and Plank, 2017',
    type: 'inproceedings',
    fields: {
      author: "Mart\\'{i}nez Alonso, H\\'{e}ctor and Plank, Barbara",
      title: 'When is Multitask Learning Effective? Semantic Sequence Prediction under Varying Data Conditions',
      booktitle:
        'Proceedings of the 15th Conference of the European Chapter of the Association for Computational Linguistics (EACL)',
      pages: '44--53',
      year: '2017',
    },
  },
  bingel2017: {
    short: 'Bingel and S\u00f8gaard, 2017',
    type: 'inproceedings',
    fields: {
      author: 'Bingel, Joachim and S{\\o}gaard, Anders',
      title: 'Identifying Beneficial Task Relations for Multi-Task Learning in Deep Neural Networks',
      booktitle:
        'Proceedings of the 15th Conference of the European Chapter of the Association for Computational Linguistics (EACL)',
      pages: '164--169',
      year: '2017',
    },
  },
} satisfies Record<string, Reference>;

export type ReferenceKey = keyof typeof BIBLIOGRAPHY;

/** The BibTeX of `keys`, in that order (titles' capitals kept by braces). */
export function bibtex(keys: readonly ReferenceKey[]): string {
  return keys
    .map((key) => {
      const { type, fields } = BIBLIOGRAPHY[key] as Reference;
      const lines = Object.entries(fields).map(
        ([name, value]) => `  ${name} = {${name === 'title' ? `{${value}}` : value}},`,
      );
      return `@${type}{${key},\n${lines.join('\n')}\n}\n`;
    })
    .join('\n');
}
