/** @odoo-module **/
/*
 * Bringing the paper registers in (addons_tests/customer_archive/test_tours.py prepares the
 * departments and cabinet the file names, and checks afterwards that nothing was written).
 */

import { registry } from "@web/core/registry";
import { screenshot } from "./tour_screenshot";

// A register as the archive office types it from the paper: two documents per archive, one row
// with an unknown category and one archive number written the old way.
const HEADER = "档案编号,档案标题,客户名称,客户编码,档案类别,部门,密级,状态,建档日期,转正日期,归档日期,档案柜,备注,文件类型,文件名称,原件,页数,份数";
const REGISTER = [
    HEADER,
    "2019-TST-0001,客户基本资料,江南纺织,JN001,BAS,TST,普通,归档,2019-03-01,2019-03-20,2019-04-01,TS9,,B.1,客户档案卡,是,2,",
    "2019-TST-0001,,,,,,,,,,,,,B.2,营业执照,否,1,1",
    "2019-TST-0002,客户基本资料,华北重工,HB002,BAS,TST,普通,正式,2019-05-06,2019-05-28,,,,B.1,客户档案卡,是,3,",
    "2019-TST-0002,,,,,,,,,,,,,B.2,营业执照,否,1,1",
    "2019-TST-0003,客户基本资料,西部能源,XB003,BAS,TST,普通,临时,2019年9月2日,,,,待补资信证明,B.1,客户档案卡,是,2,",
    "2019-TST-0004,客户基本资料,东海船舶,DH004,XYZ,TST,普通,临时,2019-10-08,,,,,B.1,客户档案卡,是,2,",
    "2019/TST/0005,客户基本资料,岭南建材,LN005,BAS,TST,普通,临时,2019-11-11,,,,,B.1,客户档案卡,是,1,",
].join("\n");

// The archive officer checks a register (dry run) before importing it.
registry.category("web_tour.tours").add("customer_archive_import_check", {
    steps: () => [
        {
            content: "Open the Storage menu",
            trigger: ".o_main_navbar [data-menu-xmlid='customer_archive.customer_archive_menu_storage']",
            run: "click",
        },
        {
            content: "Import archives",
            trigger: ".o-dropdown--menu [data-menu-xmlid='customer_archive.customer_archive_import_menu']",
            run: "click",
        },
        {
            content: "Choose the register (a .csv file typed from the paper)",
            trigger: ".modal .o_field_widget[name=file]",
            async run() {
                const input = document.querySelector(".modal .o_field_widget[name=file] input[type=file]");
                const transfer = new DataTransfer();
                transfer.items.add(new File([REGISTER], "旧档案登记簿.csv", { type: "text/csv" }));
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The file is chosen",
            trigger: ".modal .o_field_widget[name=file] input.o_input:value(旧档案登记簿.csv)",
        },
        {
            content: "Check it: a dry run",
            trigger: ".modal button[name=action_check]",
            run: "click",
        },
        {
            content: "The wrong rows are listed, row by row",
            trigger: ".modal .o_field_widget[name=result]:contains(XYZ)",
        },
        {
            content: "Three archives would be imported, two rows are wrong",
            trigger: ".modal .o_field_widget[name=error_count]:contains(2)",
        },
        ...screenshot("archive_import_checked", ".modal button[name=action_import]"),
    ],
});
