// 界面文字（简体中文）。试验相关文字来自试验文件。
export default {
  loading: '正在加载问卷…',
  loadFailed: '问卷无法加载。请刷新页面或稍后再试。',
  yes: '是',
  no: '否',
  unknown: '我不知道',
  none: '无',
  unit: '单位',
  result: '筛查结果',
  criteria: '标准',
  verdict: {
    eligible: '您可能符合条件，最终由研究团队决定。',
    not_eligible: '不符合本研究的条件。',
    incomplete: '尚无法判断：还需要更多回答。',
  },
  status: {
    pass: '符合',
    fail: '不符合',
    unknown: '尚不清楚',
    not_applicable: '不适用',
    deferred: '由研究团队核查',
  },
};
