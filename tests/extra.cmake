find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME gold.corpus COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/check_gold.py --corpus ${CMAKE_SOURCE_DIR}/corpus --gold ${CMAKE_SOURCE_DIR}/corpus/gold)
