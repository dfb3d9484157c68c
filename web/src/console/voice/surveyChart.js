// The dashboard's ECharts host with the radar registered too (ECharts' `use` is global), so
// the radar's code loads with the survey page only, never with the dashboard.
import { use } from 'echarts/core'
import { RadarChart } from 'echarts/charts'
import { RadarComponent } from 'echarts/components'
import EChart from '../dashboard/EChart.vue'

use([RadarChart, RadarComponent])
export default EChart
